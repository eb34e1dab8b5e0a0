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

# Avisos de picos (problemas frecuentes).
spike-subject = Pico: «{ $topic }» muy por encima de lo normal
spike-intro = { $tickets } casos nuevos sobre «{ $topic }» entre las { $from } y las { $to } ({ $zone }); una hora normal tiene { $normal }.
spike-open = Ver los problemas frecuentes
