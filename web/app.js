// The control page: health, the API key (kept in this tab's sessionStorage only), broker login through
// the daemon's one-time login state, the analyzer switch and, for an administrator, the Action Center.
// Everything goes through the same /api/v1 endpoints a client uses.
"use strict";

const $ = (id) => document.getElementById(id);

function show(element, text, ok) {
  element.textContent = text;
  element.className = ok ? "ok" : "error";
}

function messageOf(body) {
  return typeof body.message === "string" ? body.message : JSON.stringify(body.message ?? body);
}

function apikey() {
  return sessionStorage.getItem("apikey") || "";
}

async function api(path, fields = {}) {
  const reply = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ apikey: apikey(), ...fields }),
  });
  return { status: reply.status, body: await reply.json() };
}

async function checkHealth() {
  try {
    const body = await (await fetch("/health")).json();
    show($("health"), body.status === "ok" ? "ok" : "unexpected answer", body.status === "ok");
  } catch (error) {
    show($("health"), "unreachable", false);
  }
}

// A broker's callback sends the browser back here with the outcome of its login.
function showLoginOutcome() {
  const query = new URLSearchParams(location.search);
  if (query.has("login")) show($("notice"), `Logged in to ${query.get("login")}`, true);
  if (query.has("login_error")) show($("notice"), `Broker login failed: ${query.get("login_error")}`, false);
}

async function useKey(event) {
  event?.preventDefault();
  const typed = $("apikey").value.trim();
  if (typed) sessionStorage.setItem("apikey", typed);
  if (!apikey()) return;
  const { body } = await api("/api/v1/ping");
  if (body.status !== "success") {
    sessionStorage.removeItem("apikey");
    $("signed-in").hidden = true;
    return show($("key-result"), messageOf(body), false);
  }
  show($("key-result"), "Key accepted", true);
  $("active-broker").textContent = body.data.broker;
  $("signed-in").hidden = false;
  await Promise.all([listBrokers(), showAnalyzer(), listPending()]);
}

async function listBrokers() {
  const { body } = await api("/api/v1/admin/plugins");
  const list = $("broker-logins");
  list.replaceChildren();
  if (body.status !== "success") return;
  for (const plugin of body.data) {
    if (plugin.auth_style === "none") continue;
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = `Log in to ${plugin.display_name || plugin.id}`;
    button.dataset.broker = plugin.id;
    button.addEventListener("click", () => startLogin(plugin.id));
    list.append(button, " ");
  }
}

// The daemon hands out a one-time state with the login URL; the callback refuses a login without it.
async function startLogin(broker) {
  $("credentials-form").hidden = true;  // until it carries the new state
  const { body } = await api("/api/v1/broker/login_url", { broker });
  if (body.status !== "success") return show($("login-result"), messageOf(body), false);
  const url = body.data.login_url;
  if (!url.startsWith("/")) {
    location.assign(url);  // OAuth: the broker's page, which redirects to the callback
    return;
  }
  const form = $("credentials-form");
  form.dataset.url = url;
  $("credentials-broker").textContent = broker;
  form.hidden = false;
  $("userid").focus();
}

async function submitCredentials(event) {
  event.preventDefault();
  const form = $("credentials-form");
  const reply = await fetch(form.dataset.url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: new URLSearchParams(new FormData(form)),
  });
  const body = await reply.json();
  $("pin").value = "";
  $("totp").value = "";
  if (body.status !== "success") return show($("login-result"), messageOf(body), false);
  form.hidden = true;
  show($("login-result"), body.message, true);
  await useKey();
}

async function showAnalyzer() {
  const { body } = await api("/api/v1/analyzer");
  if (body.status !== "success") return show($("analyzer-result"), messageOf(body), false);
  const analyzing = body.data.analyze_mode;
  $("analyzer-mode").textContent = analyzing ? "the sandbox (analyzer mode)" : "the broker (live)";
  $("analyzer-toggle").textContent = analyzing ? "Switch to live" : "Switch to analyzer mode";
  $("analyzer-toggle").dataset.next = analyzing ? "false" : "true";
}

async function toggleAnalyzer() {
  const { body } = await api("/api/v1/analyzer/toggle", { mode: $("analyzer-toggle").dataset.next === "true" });
  show($("analyzer-result"), body.status === "success" ? body.data.message : messageOf(body), body.status === "success");
  await showAnalyzer();
}

function cell(text) {
  const td = document.createElement("td");
  td.textContent = text;
  return td;
}

function summary(order) {
  if (typeof order !== "object" || order === null) return String(order);
  const parts = [order.action, order.quantity, order.symbol, order.exchange, order.pricetype, order.product];
  return parts.filter((part) => part !== undefined).join(" ") || JSON.stringify(order);
}

async function listPending() {
  const { body } = await api("/api/v1/admin/pendingorders");
  $("action-center").hidden = body.status !== "success";
  if (body.status !== "success") return;
  const rows = body.data.map((order) => {
    const row = document.createElement("tr");
    row.dataset.id = order.id;
    const decide = document.createElement("td");
    for (const [label, action] of [["Approve", approve], ["Reject", reject]]) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = label;
      button.addEventListener("click", () => action(order.id));
      decide.append(button, " ");
    }
    row.append(cell(order.id), cell(order.user), cell(order.api_type), cell(summary(order.order)),
               cell(order.created_at), decide);
    return row;
  });
  $("pending-orders").replaceChildren(...rows);
}

async function approve(id) {
  const { body } = await api("/api/v1/admin/pendingorders/approve", { id });
  show($("action-result"), `#${id}: ${messageOf(body)}`, body.status === "success");
  await listPending();
}

async function reject(id) {
  const reason = prompt(`Why reject order #${id}?`, "") ?? "";
  const { body } = await api("/api/v1/admin/pendingorders/reject", { id, reason });
  show($("action-result"), `#${id}: ${messageOf(body)}`, body.status === "success");
  await listPending();
}

$("key-form").addEventListener("submit", useKey);
$("credentials-form").addEventListener("submit", submitCredentials);
$("analyzer-toggle").addEventListener("click", toggleAnalyzer);
checkHealth();
showLoginOutcome();
useKey();
