//! Moving a call on: a change written only if no other webhook of the
//! same call moved it first, with what else the change writes.

use super::*;

impl App {
    /// Writes `change` of a call in one transaction if its stage is still
    /// what `change` was decided on; `Ok(None)` when another webhook moved
    /// it on first (the caller decides again on the call as it is now).
    pub(super) async fn move_call<T: Send + 'static>(
        &self,
        call: &Call,
        change: impl FnOnce(&mut Call) -> T + Send + 'static,
        with: impl AlsoWrite,
    ) -> Result<Option<(Call, T)>, AppError> {
        let expected = line_of(call)?.stage;
        let mut next = call.clone();
        let out = change(&mut next);
        self.write(move |c| {
            Box::pin(async move {
                if !call_repo::update_from_stage(c, &next, expected).await? {
                    return Ok(None);
                }
                with(c, &next).await?;
                Ok(Some((next, out)))
            })
        })
        .await
    }

    /// Reads a call again, after another webhook moved it on.
    pub(super) async fn fresh(&self, call: &Call) -> Result<Call, AppError> {
        let mut rc = self.read().await?;
        call_repo::get(&mut rc.conn(), call.id)
            .await?
            .ok_or(AppError::NotFound)
    }
}

/// What else a call's change writes in its transaction.
pub(super) trait AlsoWrite:
    for<'t, 'c> FnOnce(&'t mut store::Conn<'c>, &'t Call) -> store::BoxFut<'t, Result<(), AppError>>
    + Send
    + 'static
{
}

impl<F> AlsoWrite for F where
    F: for<'t, 'c> FnOnce(
            &'t mut store::Conn<'c>,
            &'t Call,
        ) -> store::BoxFut<'t, Result<(), AppError>>
        + Send
        + 'static
{
}

/// Nothing else.
pub(super) fn nothing_else() -> impl AlsoWrite {
    |_: &mut store::Conn<'_>, _: &Call| -> store::BoxFut<'_, Result<(), AppError>> {
        Box::pin(async { Ok(()) })
    }
}

/// The end of the leg ringing `agent`'s phone, if one rang.
pub(super) fn ending_leg(agent: Option<UserId>, end: LegEnd, now: Timestamp) -> impl AlsoWrite {
    move |c: &mut store::Conn<'_>, k: &Call| -> store::BoxFut<'_, Result<(), AppError>> {
        let id = k.id;
        Box::pin(async move {
            if let Some(a) = agent {
                repo::end_leg(c, id, a, end, now).await?;
            }
            Ok(())
        })
    }
}

pub(super) fn to_stage(stage: CallStage) -> impl FnOnce(&mut Call) + Send + 'static {
    move |k| {
        if let Some(lc) = k.line.as_mut() {
            lc.stage = stage;
        }
    }
}
