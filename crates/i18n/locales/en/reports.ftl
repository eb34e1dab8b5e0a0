# The weekly report by email.
report-weekly-subject = Weekly support report: { $from } – { $to }
report-weekly-intro = Here is the week from { $from } to { $to }, beside the one before.
report-this-week = This week
report-week-before = Week before
report-open-page = Open the full report
report-created = Tickets created
report-solved = Tickets solved
report-backlog = Backlog at the end
report-first-reply = First reply (median, min)
report-resolution = Resolution (median, min)
report-csat = Satisfaction (CSAT)
report-one-touch = One-touch resolution

# Spike alerts (frequent problems).
spike-subject = Spike: “{ $topic }” is far above normal
spike-intro = { $tickets } new tickets about “{ $topic }” between { $from } and { $to } ({ $zone }); a normal hour has { $normal }.
spike-open = See the frequent problems
