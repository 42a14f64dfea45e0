//! Over real sockets: the server bound to 127.0.0.1:0, in-process and as its own process (killed
//! in the middle of a push and restarted). The client is a few lines of HTTP/1.1 over a
//! `TcpStream`, so what is tested is exactly what goes over the wire.
#![allow(clippy::unwrap_used, clippy::expect_used)]
mod common;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::now;
use orchid_core::customer::CustomerField;
use orchid_core::ids::{ClientId, CustomerId, StoreId};
use orchid_core::sync::{Change, SyncClient};
use orchid_core::text::Name;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One HTTP/1.1 request; the status and the JSON body.
async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> std::io::Result<(u16, Value)> {
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "no complete answer")
    })?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_owned()
    };
    Ok((status, serde_json::from_str(&body).unwrap_or(Value::Null)))
}

fn dechunk(mut text: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = text.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        text = rest[n..].trim_start_matches("\r\n");
    }
    out
}

async fn sign_in(addr: SocketAddr, password: &str) -> (String, StoreId, Value) {
    let (status, body) = http(
        addr,
        "POST",
        "/api/v1/auth/sign-in",
        None,
        Some(&json!({ "login": "owner", "password": password, "device": "socket test" })),
    )
    .await
    .unwrap();
    assert_eq!(status, 200, "{body}");
    let store = StoreId(body["store_id"].as_str().unwrap().parse().unwrap());
    (body["token"].as_str().unwrap().to_owned(), store, body)
}

fn customers(device: &mut SyncClient, actor: orchid_core::sync::Actor, n: usize) {
    for i in 0..n {
        device
            .mutate(
                actor,
                Change::CustomerUpsert {
                    id: CustomerId(uuid::Uuid::now_v7()),
                    fields: vec![CustomerField::Name(
                        Name::parse(&format!("顾客{i}")).unwrap(),
                    )],
                },
                now(),
            )
            .unwrap();
    }
}

fn actor_of(body: &Value) -> orchid_core::sync::Actor {
    orchid_core::sync::Actor {
        staff_id: orchid_core::ids::StaffId(body["staff_id"].as_str().unwrap().parse().unwrap()),
        role: orchid_core::role::Role::Owner,
    }
}

#[tokio::test]
async fn sign_in_push_and_pull_over_a_real_socket() {
    let s = common::TestServer::start().await;
    let (app, listener) = orchid_server::prepare(&s.config).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    });
    let (token, store, body) = sign_in(addr, common::OWNER_PASSWORD).await;
    let mut device = SyncClient::new(ClientId(uuid::Uuid::now_v7()), store);
    customers(&mut device, actor_of(&body), 50);
    let push = serde_json::to_value(device.push_request(50).unwrap()).unwrap();
    let (status, answer) = http(addr, "POST", "/api/v1/sync/push", Some(&token), Some(&push))
        .await
        .unwrap();
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["last_mutation_id"], 50);
    let pull = serde_json::to_value(device.pull_request(1000)).unwrap();
    let (status, page) = http(addr, "POST", "/api/v1/sync/pull", Some(&token), Some(&pull))
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(page["changes"].as_array().unwrap().len(), 50);
    // The peer address reached the devices list (throttling per address uses the same).
    let (_, devices) = http(addr, "GET", "/api/v1/devices", Some(&token), None)
        .await
        .unwrap();
    assert_eq!(devices["devices"][0]["address"], "127.0.0.1");
    server.abort();
}

struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the real binary on a free port; answers the process and its address.
fn start_binary(config: &orchid_server::config::Config) -> (Process, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_orchid-server"))
        .env("ORCHID_ADDR", "127.0.0.1:0")
        .env("ORCHID_DATABASE_URL", &config.database_url)
        .env("ORCHID_DIST", &config.dist)
        .env("ORCHID_OWNER_PASSWORD", common::OWNER_PASSWORD)
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("the server printed its address")
            .unwrap();
        if let Some(url) = line.strip_prefix("Orchid is running at http://") {
            break url.trim().parse().unwrap();
        }
    };
    // Keep reading: a closed pipe would make the server's next `println!` fail.
    std::thread::spawn(move || lines.for_each(drop));
    (Process(child), addr)
}

/// The server is killed (SIGKILL) while a 500-mutation push is on its way or being applied,
/// then restarted; the device sends the same push again. Each mutation ends up logged exactly
/// once, whatever the moment of the kill.
#[tokio::test]
async fn a_server_killed_mid_push_and_restarted_keeps_exactly_one_copy() {
    let s = common::TestServer::start().await;
    let (first, addr) = start_binary(&s.config);
    let (token, store, body) = sign_in(addr, common::OWNER_PASSWORD).await;
    let actor = actor_of(&body);
    let mut expected = 0;
    let mut server = Some(first);
    let mut addr = addr;
    for delay_ms in [0u64, 2, 10, 40] {
        let mut device = SyncClient::new(ClientId(uuid::Uuid::now_v7()), store);
        customers(&mut device, actor, 500);
        expected += 500;
        let push = serde_json::to_value(device.push_request(500).unwrap()).unwrap();
        let sending = tokio::spawn({
            let token = token.clone();
            let push = push.clone();
            async move { http(addr, "POST", "/api/v1/sync/push", Some(&token), Some(&push)).await }
        });
        tokio::time::sleep(Duration::from_millis(delay_ms)).await;
        drop(server.take());
        // The answer, if any came back before the kill, is lost to the device either way.
        let _ = sending.await;
        let (restarted, new_addr) = start_binary(&s.config);
        server = Some(restarted);
        addr = new_addr;
        let (status, answer) = http(addr, "POST", "/api/v1/sync/push", Some(&token), Some(&push))
            .await
            .unwrap();
        assert_eq!(status, 200, "{answer}");
        for result in answer["results"].as_array().unwrap() {
            let st = result["status"].as_str().unwrap();
            assert!(st == "accepted" || st == "duplicate", "{result}");
        }
        assert_eq!(answer["last_mutation_id"], 500);
    }
    let (_, page) = http(
        addr,
        "POST",
        "/api/v1/sync/pull",
        Some(&token),
        Some(&json!({ "format_version": 1, "client_id": uuid::Uuid::now_v7(), "store_id": store, "cursor": null, "limit": 1000 })),
    )
    .await
    .unwrap();
    let mut all = page["changes"].as_array().unwrap().len();
    let mut cursor = page["cursor"].clone();
    let mut more = page["has_more"].as_bool().unwrap();
    while more {
        let (_, page) = http(
            addr,
            "POST",
            "/api/v1/sync/pull",
            Some(&token),
            Some(&json!({ "format_version": 1, "client_id": uuid::Uuid::now_v7(), "store_id": store, "cursor": cursor, "limit": 1000 })),
        )
        .await
        .unwrap();
        all += page["changes"].as_array().unwrap().len();
        cursor = page["cursor"].clone();
        more = page["has_more"].as_bool().unwrap();
    }
    assert_eq!(all, expected);
    assert_eq!(cursor, json!(expected));
}

/// Pulls everything a store holds through `addr`, from the start: the changes' cursors in order.
async fn all_cursors(addr: SocketAddr, token: &str, store: StoreId) -> Vec<u64> {
    let mut cursors = Vec::new();
    let mut cursor = Value::Null;
    loop {
        let (status, page) = http(
            addr,
            "POST",
            "/api/v1/sync/pull",
            Some(token),
            Some(&json!({ "format_version": 1, "client_id": uuid::Uuid::now_v7(), "store_id": store, "cursor": cursor, "limit": 1000 })),
        )
        .await
        .unwrap();
        assert_eq!(status, 200, "{page}");
        for change in page["changes"].as_array().unwrap() {
            cursors.push(change["cursor"].as_u64().unwrap());
        }
        cursor = page["cursor"].clone();
        if !page["has_more"].as_bool().unwrap() {
            return cursors;
        }
    }
}

/// One device's turns: each round it makes `per_round` customers, pushes them through one server
/// and pulls through the other, the servers swapping every round.
async fn device_turns(
    servers: [SocketAddr; 2],
    token: String,
    store: StoreId,
    actor: orchid_core::sync::Actor,
    first: usize,
    rounds: usize,
    per_round: usize,
) -> SyncClient {
    let mut device = SyncClient::new(ClientId(uuid::Uuid::now_v7()), store);
    for round in 0..rounds {
        customers(&mut device, actor, per_round);
        let push_to = servers[(first + round) % 2];
        let pull_from = servers[(first + round + 1) % 2];
        let push = serde_json::to_value(device.push_request(500).unwrap()).unwrap();
        let (status, answer) = http(
            push_to,
            "POST",
            "/api/v1/sync/push",
            Some(&token),
            Some(&push),
        )
        .await
        .unwrap();
        assert_eq!(status, 200, "{answer}");
        let response: orchid_core::sync::PushResponse = serde_json::from_value(answer).unwrap();
        device.on_push_response(&response).unwrap();
        pull_all(pull_from, &token, &mut device).await;
    }
    device
}

/// Pulls through `addr` until the device has everything.
async fn pull_all(addr: SocketAddr, token: &str, device: &mut SyncClient) {
    loop {
        let pull = serde_json::to_value(device.pull_request(1000)).unwrap();
        let (status, page) = http(addr, "POST", "/api/v1/sync/pull", Some(token), Some(&pull))
            .await
            .unwrap();
        assert_eq!(status, 200, "{page}");
        let page: orchid_core::sync::PullResponse = serde_json::from_value(page).unwrap();
        device.on_pull_response(&page, now()).unwrap();
        if !page.has_more {
            break;
        }
    }
}

/// A chain's set-up: two server processes on one database (the README's "several stateless
/// servers behind a load balancer"; PostgreSQL when the run has one, else a SQLite file). Four
/// devices push through one and pull through the other, swapping every round, all at once:
/// nothing is lost or doubled, the store's cursors run 1, 2, 3 … without a gap, and every device
/// ends with every record.
#[tokio::test]
async fn two_servers_on_one_database_serve_devices_alternately() {
    let s = common::TestServer::start().await;
    let (_one, addr_one) = start_binary(&s.config);
    let (_two, addr_two) = start_binary(&s.config);
    let (token, store, body) = sign_in(addr_one, common::OWNER_PASSWORD).await;
    let actor = actor_of(&body);
    let servers = [addr_one, addr_two];
    let (devices, rounds, per_round) = (4, 5, 40);
    let turns: Vec<_> = (0..devices)
        .map(|d| {
            tokio::spawn(device_turns(
                servers,
                token.clone(),
                store,
                actor,
                d,
                rounds,
                per_round,
            ))
        })
        .collect();
    let mut finished = Vec::new();
    for turn in turns {
        finished.push(turn.await.unwrap());
    }
    let expected = devices * rounds * per_round;
    // Both servers answer the same log, each change once, cursors consecutive.
    for addr in servers {
        let cursors = all_cursors(addr, &token, store).await;
        assert_eq!(cursors, (1..=expected as u64).collect::<Vec<_>>());
    }
    // Each device, after one more pull, holds every customer and has nothing left to send.
    for mut device in finished {
        pull_all(addr_two, &token, &mut device).await;
        assert!(device.pending().is_empty());
        assert_eq!(device.view().customers(store).len(), expected);
    }
}
