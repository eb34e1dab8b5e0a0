//! Goodwill gestures: recorded on a case by the API and on the ticket
//! page, checked in words, noted on the case, and totalled per currency
//! and kind in the reports, each total opening its tickets.

use super::workspace::{Browser, hidden};
use super::*;
use app::reports::ReportAsk;
use domain::goodwill::GestureKind;
use domain::report::ReportFilter;

both!(gestures_are_recorded_noted_and_totalled, |srv| {
    let admin = srv.admin();
    let late = new_ticket(
        &srv,
        json!({"comment": {"body": "El pedido llegó tarde"}, "tags": ["envio"]}),
    )
    .await;
    let broken = new_ticket(&srv, json!({"comment": {"body": "Llegó roto"}})).await;
    let (late, broken) = (
        late["id"].as_i64().unwrap_or_default(),
        broken["id"].as_i64().unwrap_or_default(),
    );
    let gestures = |id: i64| format!("/api/v2/tickets/{id}/goodwill_gestures.json");

    // Refused in words: an unknown kind, a currency that is not a code, a
    // negative amount, no reason.
    let (s, b) = srv
        .call(
            "POST",
            &gestures(late),
            &admin,
            Some(json!({"goodwill_gesture": {
            "kind": "bribe", "amount": "-5", "currency": "EURO", "reason": " "}})),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    for field in ["kind", "currency", "reason"] {
        assert!(b["details"][field].is_array(), "{field}: {b}");
    }
    let (s, b) = srv
        .call(
            "POST",
            &gestures(late),
            &admin,
            Some(json!({"goodwill_gesture": {
            "kind": "refund", "amount": "1.234", "currency": "EUR", "reason": "Tarde"}})),
        )
        .await;
    assert_eq!(s, 422, "more decimals than the euro has: {b}");
    assert!(b["details"]["amount"].is_array(), "{b}");

    // Recorded: a refund by the API, with its amount as the customer's
    // currency writes it.
    let (s, b) = srv
        .call("POST", &gestures(late), &admin, Some(json!({"goodwill_gesture": {
            "kind": "refund", "amount": 20.5, "currency": "eur", "reason": "Llegó tres días tarde"}})))
        .await;
    assert_eq!(s, 201, "{b}");
    let g = &b["goodwill_gesture"];
    assert_eq!(
        (&g["kind"], &g["amount"], &g["currency"], &g["ticket_id"]),
        (
            &json!("refund"),
            &json!("20.50"),
            &json!("EUR"),
            &json!(late)
        ),
        "{b}"
    );
    // The customer may not record one, nor read them.
    let (requester, customer) = srv
        .user_with_token("Cliente Goodwill", "cliente-gw@example.com", "end-user")
        .await;
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{broken}.json"),
            &admin,
            Some(json!({"ticket": {"requester_id": requester}})),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let (s, _) = srv
        .call(
            "POST",
            &gestures(broken),
            &customer,
            Some(json!({"goodwill_gesture": {
            "kind": "gift", "reason": "Perdón"}})),
        )
        .await;
    assert_eq!(s, 403);
    let (s, _) = srv.get(&gestures(broken), &customer).await;
    assert_eq!(s, 403);

    // On the ticket page: a gift with no amount, then a discount in
    // Mexican pesos; the panel lists them and the timeline has the note.
    let mut browser = Browser::new(&srv.base);
    browser
        .sign_in("admin@example.com", "admin-password-1")
        .await;
    let page = browser.get(&format!("/agent/tickets/{broken}")).await;
    assert!(page.body.contains("id=\"goodwill-title\""), "{}", page.body);
    let csrf = hidden(&page.body, "csrf");
    let path = format!("/agent/tickets/{broken}/goodwill");
    let refused = browser
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("kind", "discount"),
                ("amount", "10"),
                ("reason", "Roto"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "an amount without its currency");
    for form in [
        [
            ("kind", "gift"),
            ("amount", ""),
            ("currency", ""),
            ("reason", "Una taza de regalo"),
        ],
        [
            ("kind", "discount"),
            ("amount", "150"),
            ("currency", "MXN"),
            ("reason", "Llegó roto"),
        ],
    ] {
        let mut fields = vec![("csrf", csrf.as_str())];
        fields.extend(form);
        let done = browser.post(&path, &fields).await;
        assert_eq!(done.status, 303, "{}", done.body);
    }
    let page = browser
        .get(&format!("/agent/tickets/{broken}?done=goodwill"))
        .await;
    assert!(
        page.body.contains("Goodwill gesture recorded.")
            && page.body.contains("Una taza de regalo")
            && page.body.contains("150.00 MXN"),
        "{}",
        page.body
    );
    let (_, audits) = srv
        .get(&format!("/api/v2/tickets/{late}/audits.json"), &admin)
        .await;
    let notes: Vec<Json> = audits["audits"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|a| a["events"].as_array().cloned().unwrap_or_default())
        .filter(|e| e["type"] == "Comment" && e["public"] == false)
        .collect();
    assert_eq!(notes.len(), 1, "{audits}");
    assert_eq!(
        notes[0]["body"], "Goodwill gesture: refund 20.50 EUR. Why: Llegó tres días tarde",
        "an internal note in the recording agent's language"
    );
    let (_, listed) = srv.get(&gestures(broken), &admin).await;
    assert_eq!(listed["count"], 2, "{listed}");

    // The reports: totals per kind and currency, all or one tag's.
    srv.app
        .fold_reports()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let actor = admin_actor(&srv).await;
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    let ask = |filter: ReportFilter| ReportAsk {
        first: today,
        last: today,
        zone: jiff::tz::TimeZone::UTC,
        filter,
    };
    let totals = |filter: ReportFilter| {
        let srv = &srv;
        async move {
            let (period, _) = ask(filter.clone())
                .clock()
                .unwrap_or_else(|e| panic!("{e}"));
            srv.app
                .gesture_totals(actor, period, &filter)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .into_iter()
                .map(|g| {
                    (
                        g.kind,
                        g.currency.map(|c| c.as_str().to_string()),
                        g.count,
                        g.minor,
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        totals(ReportFilter::default()).await,
        vec![
            (GestureKind::Gift, None, 1, 0),
            (GestureKind::Refund, Some("EUR".into()), 1, 2050),
            (GestureKind::Discount, Some("MXN".into()), 1, 15_000),
        ]
    );
    let envio = ReportFilter {
        tag: Some("envio".into()),
        ..ReportFilter::default()
    };
    assert_eq!(
        totals(envio).await,
        vec![(GestureKind::Refund, Some("EUR".into()), 1, 2050)]
    );
    let query = format!("from={today}&to={today}");
    let report = browser.get(&format!("/agent/reports?{query}")).await;
    assert!(
        report.body.contains("id=\"h-goodwill\"")
            && report.body.contains("20.50 EUR")
            && report.body.contains("150.00 MXN"),
        "{}",
        report.body
    );
    let drill = browser
        .get(&format!("/agent/reports/tickets?{query}&slice=goodwill"))
        .await;
    assert_eq!(
        drill.body.matches("class=\"ticket-link\"").count(),
        2,
        "{}",
        drill.body
    );
});
