// The landing page: shows the daemon's health and checks an API key with /api/v1/ping.
"use strict";

function show(element, text, ok) {
  element.textContent = text;
  element.className = ok ? "ok" : "error";
}

async function checkHealth() {
  const health = document.getElementById("health");
  try {
    const reply = await fetch("/health");
    const body = await reply.json();
    show(health, body.status === "ok" ? "ok" : "unexpected answer", body.status === "ok");
  } catch (error) {
    show(health, "unreachable", false);
  }
}

async function ping(event) {
  event.preventDefault();
  const result = document.getElementById("ping-result");
  const apikey = document.getElementById("apikey").value.trim();
  try {
    const reply = await fetch("/api/v1/ping", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ apikey }),
    });
    const body = await reply.json();
    if (body.status === "success") show(result, `Key accepted; active broker: ${body.data.broker}`, true);
    else show(result, typeof body.message === "string" ? body.message : JSON.stringify(body.message), false);
  } catch (error) {
    show(result, "The daemon did not answer", false);
  }
}

document.getElementById("ping-form").addEventListener("submit", ping);
checkHealth();
