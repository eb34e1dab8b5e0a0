//! The greeting: the caller's language, closed hours, the line's menu,
//! and into the queue.

use super::*;

impl App {
    pub(super) async fn call_arrived(
        &self,
        line: &VoiceLine,
        call: Call,
        now: Timestamp,
    ) -> Result<VoiceStep, AppError> {
        let lc = line_of(&call)?;
        match lc.stage {
            CallStage::Menu => {}
            // The provider asked again (a retry): carry on where it is.
            CallStage::Queued => return self.next_in_queue(line, call, Vec::new(), now).await,
            _ => return Ok(VoiceStep::Nothing),
        }
        let known = lc.language.clone();
        match known {
            Some(l) => self.after_language(line, call, l, now).await,
            None if line.settings.languages.len() == 1 => {
                let l = line.settings.default_language().to_string();
                self.after_language(line, call, l, now).await
            }
            None => Ok(VoiceStep::ChooseLanguage {
                choices: line
                    .settings
                    .languages
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let key = i64::try_from(i + 1).unwrap_or(1);
                        let text = i18n::with(
                            lang(l),
                            "voice-language-choice",
                            &[("key", Arg::Number(key))],
                        );
                        (l.clone(), text)
                    })
                    .collect(),
            }),
        }
    }

    /// Greets in the caller's language, then closed hours, the menu or
    /// the queue.
    pub(super) async fn after_language(
        &self,
        line: &VoiceLine,
        call: Call,
        language: String,
        now: Timestamp,
    ) -> Result<VoiceStep, AppError> {
        let mut call = call;
        for _ in 0..TRIES {
            if line_of(&call)?.stage != CallStage::Menu {
                return Ok(VoiceStep::Nothing);
            }
            let l = language.clone();
            match self
                .move_call(
                    &call,
                    move |k| {
                        if let Some(lc) = k.line.as_mut() {
                            lc.language = Some(l);
                        }
                    },
                    nothing_else(),
                )
                .await?
            {
                Some((moved, ())) => {
                    call = moved;
                    break;
                }
                None => call = self.fresh(&call).await?,
            }
        }
        let l = language.as_str();
        let greeting = line.settings.greeting.said_in(l).map_or_else(
            || {
                i18n::with(
                    lang(l),
                    "voice-greeting",
                    &[("name", Arg::Text(&line.name))],
                )
            },
            str::to_string,
        );
        let mut say = vec![greeting];
        let book = self.rulebook().await?;
        let schedule = book.schedule(line.settings.schedule);
        if !schedule.is_open(now) {
            let back = schedule.next_open(now).and_then(|at| {
                crate::handover::opens_at_text(
                    lang(l),
                    "voice-closed-opens",
                    at,
                    schedule.time_zone(),
                )
            });
            say.push(back.unwrap_or_else(|| said(l, "voice-closed")));
            return self.nobody_can(line, call, say, now).await;
        }
        if line.settings.menu.is_empty() {
            return self.enqueue(line, call, None, say, now).await;
        }
        say.extend(menu_words(line, l));
        Ok(VoiceStep::Menu {
            lang: language,
            say,
        })
    }

    pub(super) async fn menu_choice(
        &self,
        line: &VoiceLine,
        call: Call,
        digit: Option<u8>,
        now: Timestamp,
    ) -> Result<VoiceStep, AppError> {
        let lc = line_of(&call)?;
        if lc.stage != CallStage::Menu {
            return Ok(VoiceStep::Nothing);
        }
        let l = lc
            .language
            .clone()
            .unwrap_or_else(|| line.settings.default_language().to_string());
        // No key pressed: the general queue.
        let Some(d) = digit else {
            return self.enqueue(line, call, None, Vec::new(), now).await;
        };
        let Some(option) = line.settings.option(d) else {
            let mut say = vec![said(&l, "voice-menu-unknown")];
            say.extend(menu_words(line, &l));
            return Ok(VoiceStep::Menu { lang: l, say });
        };
        match &option.target {
            MenuTarget::Queue { .. } => self.enqueue(line, call, Some(d), Vec::new(), now).await,
            MenuTarget::Message { text } => {
                let words = text.say(&l).to_string();
                self.move_call(
                    &call,
                    move |k| {
                        if let Some(lc) = k.line.as_mut() {
                            lc.menu_choice = Some(d);
                            lc.stage = CallStage::Over;
                        }
                    },
                    nothing_else(),
                )
                .await?;
                Ok(VoiceStep::Goodbye {
                    say: vec![words, said(&l, "voice-goodbye")],
                    lang: l,
                })
            }
        }
    }

    /// Puts the caller in the queue for their menu choice.
    pub(super) async fn enqueue(
        &self,
        line: &VoiceLine,
        call: Call,
        choice: Option<u8>,
        say: Vec<String>,
        now: Timestamp,
    ) -> Result<VoiceStep, AppError> {
        let moved = self
            .move_call(
                &call,
                move |k| {
                    if let Some(lc) = k.line.as_mut() {
                        lc.menu_choice = choice;
                        lc.stage = CallStage::Queued;
                        lc.queued_at = Some(now);
                    }
                },
                nothing_else(),
            )
            .await?;
        let call = match moved {
            Some((call, ())) => call,
            None => self.fresh(&call).await?,
        };
        self.next_in_queue(line, call, say, now).await
    }
}

/// The menu's options, said in `l` (an option with no label in `l` is
/// said with its other label).
pub(super) fn menu_words(line: &VoiceLine, l: &str) -> Vec<String> {
    line.settings
        .menu
        .iter()
        .map(|o| {
            let label = o.label.say(l);
            i18n::with(
                lang(l),
                "voice-menu-option",
                &[
                    ("label", Arg::Text(label)),
                    ("key", Arg::Number(i64::from(o.digit))),
                ],
            )
        })
        .collect()
}
