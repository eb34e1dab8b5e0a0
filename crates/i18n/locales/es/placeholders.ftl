## Las palabras que los marcadores `{{ticket.status}}` y
## `{{ticket.priority}}` ponen en los textos de los administradores, en
## español y en minúscula.

placeholder-status-new = nuevo
placeholder-status-open = abierto
placeholder-status-pending = pendiente
placeholder-status-hold = en espera
placeholder-status-solved = resuelto
placeholder-status-closed = cerrado
placeholder-priority-low = baja
placeholder-priority-normal = normal
placeholder-priority-high = alta
placeholder-priority-urgent = urgente
