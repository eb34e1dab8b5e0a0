# The weekly report by email.
report-weekly-subject = Informe semanal de atención: { $from } – { $to }
report-weekly-intro = Así fue la semana del { $from } al { $to }, junto a la anterior.
report-this-week = Esta semana
report-week-before = Semana anterior
report-open-page = Ver el informe completo
report-created = Tickets creados
report-solved = Tickets resueltos
report-backlog = Pendientes al final
report-first-reply = Primera respuesta (mediana, min)
report-resolution = Resolución (mediana, min)
report-csat = Satisfacción (CSAT)
report-one-touch = Resueltos con una sola respuesta
