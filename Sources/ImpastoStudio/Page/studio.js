// Impasto studio: one page over the JSON API (see docs/studio.md). No framework and no build
// step: the page must work offline, served by the binary as it is.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { photo: null, style: { builtin: 0 }, method: "instant", job: null, events: null };

// MARK: Messages and requests

function showMessage(text) {
  const box = $("message");
  box.textContent = text;
  box.hidden = !text;
}

async function api(path, options = {}) {
  const response = await fetch(path, options);
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try { message = (await response.json()).error.message; } catch (_) { /* not JSON */ }
    throw new Error(message);
  }
  return response;
}

const json = async (path, options) => (await api(path, options)).json();
const post = (path, body) => json(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

// MARK: Tabs

for (const tab of document.querySelectorAll(".tab")) {
  tab.addEventListener("click", () => {
    showMessage("");
    for (const other of document.querySelectorAll(".tab")) other.classList.toggle("active", other === tab);
    for (const panel of document.querySelectorAll(".panel")) panel.hidden = panel.id !== `panel-${tab.dataset.panel}`;
    if (tab.dataset.panel === "gallery") loadGallery();
  });
}

// MARK: Photos and paintings

function dropZone(zone, input, role) {
  input.addEventListener("change", () => input.files[0] && upload(input.files[0], role));
  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    if (event.dataTransfer.files[0]) upload(event.dataTransfer.files[0], role);
  });
}

async function upload(file, role) {
  showMessage("");
  try {
    const image = await json(`/api/images?role=${role}&name=${encodeURIComponent(file.name)}`, { method: "POST", body: file });
    if (role === "photo") { state.photo = image.id; await loadPhotos(); }
    else { state.style = { painting: image.id }; await loadStyles(); }
    changed();
  } catch (error) {
    showMessage(`${file.name}: ${error.message}`);
  }
}

function thumbnail(src, title, selected, onPick) {
  const image = document.createElement("img");
  image.src = src;
  image.title = title;
  image.alt = title;
  image.classList.toggle("selected", selected);
  image.addEventListener("click", onPick);
  return image;
}

async function loadPhotos() {
  const photos = await json("/api/images?role=photo");
  if (!state.photo && photos.length) state.photo = photos[0].id;
  $("photos").replaceChildren(...photos.slice(0, 12).map((photo) =>
    thumbnail(`/api/images/${photo.id}/thumbnail`, photo.originalName, photo.id === state.photo, () => {
      state.photo = photo.id;
      loadPhotos();
      changed();
    })));
}

async function loadStyles() {
  const styles = await json("/api/styles");
  $("builtin-styles").replaceChildren(...styles.builtin.map((style) =>
    thumbnail(style.thumbnail, style.name, state.style.builtin === style.index, () => pickStyle({ builtin: style.index }))));
  $("paintings").replaceChildren(...styles.paintings.map((painting) =>
    thumbnail(`/api/images/${painting.id}/thumbnail`, painting.originalName, state.style.painting === painting.id,
      () => pickStyle({ painting: painting.id }))));
  showStyleKind(state.style.painting ? "paintings" : "builtin");
  const choices = [
    ...styles.builtin.map((style) => [JSON.stringify({ builtin: style.index }), style.name]),
    ...styles.paintings.map((painting) => [JSON.stringify({ painting: painting.id }), painting.originalName]),
  ];
  $("live-style").replaceChildren(...choices.map(([value, name]) => new Option(name, value, false, value === JSON.stringify(state.style))));
}

function pickStyle(style) {
  state.style = style;
  loadStyles();
  changed();
  sendLiveSettings();
}

function showStyleKind(kind) {
  $("builtin-styles").hidden = kind !== "builtin";
  $("paintings-box").hidden = kind !== "paintings";
  $("style-kind-builtin").classList.toggle("active", kind === "builtin");
  $("style-kind-paintings").classList.toggle("active", kind === "paintings");
}

for (const chip of document.querySelectorAll("#style-kind .chip")) chip.addEventListener("click", () => showStyleKind(chip.dataset.kind));

// MARK: Method and settings

function settings() {
  const base = { method: state.method, photo: state.photo, style: state.style, preserveColors: $("preserve-colors").checked };
  return state.method === "gatys"
    ? { ...base, size: Number($("size").value), steps: Number($("steps").value) }
    : { ...base, strength: Number($("strength").value) };
}

function changed() {
  const gatysWithBuiltin = state.method === "gatys" && state.style.builtin !== undefined;
  $("instant-options").hidden = state.method !== "instant";
  $("gatys-options").hidden = state.method !== "gatys";
  $("start").disabled = !state.photo || gatysWithBuiltin;
  $("start").textContent = state.method === "gatys" ? "Paint (Gatys)" : "Render full size";
  if (gatysWithBuiltin && !$("panel-paint").hidden) showMessage("Gatys paints towards a painting: pick or drop one under Paintings.");
  if (state.method === "instant" && state.photo && $("panel-live").hidden) requestPreview();
}

for (const radio of document.querySelectorAll("input[name=method]")) {
  radio.addEventListener("change", () => { state.method = radio.value; showMessage(""); changed(); });
}
$("strength").addEventListener("input", () => { $("strength-value").textContent = Number($("strength").value).toFixed(2); changed(); });
$("steps").addEventListener("input", () => { $("steps-value").textContent = $("steps").value; });
$("preserve-colors").addEventListener("change", changed);

// The instant picture follows the slider: one request at a time, and when it returns the
// latest settings are sent again if they moved meanwhile (never a queue of stale pictures).
const preview = { busy: false, again: false, url: null };

async function requestPreview() {
  if (preview.busy) { preview.again = true; return; }
  preview.busy = true;
  try {
    const { method, ...body } = settings();
    const started = performance.now();
    const blob = await (await api("/api/preview", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })).blob();
    if (preview.url) URL.revokeObjectURL(preview.url);
    preview.url = URL.createObjectURL(blob);
    showPicture(preview.url);
    $("preview-image").dataset.milliseconds = Math.round(performance.now() - started);
  } catch (error) {
    showMessage(error.message);
  } finally {
    preview.busy = false;
    if (preview.again) { preview.again = false; requestPreview(); }
  }
}

function showPicture(src) {
  $("preview-image").src = src;
  $("preview-image").hidden = false;
  $("placeholder").hidden = true;
}

// MARK: Jobs

$("start").addEventListener("click", async () => {
  showMessage("");
  try {
    const job = await post("/api/jobs", settings());
    watch(job);
  } catch (error) {
    showMessage(error.message);
  }
});

$("cancel").addEventListener("click", async () => {
  if (state.job) await post(`/api/jobs/${state.job.id}/cancel`, {}).catch((error) => showMessage(error.message));
});

function watch(job) {
  if (state.events) state.events.close();
  state.job = job;
  state.losses = [...(job.losses || [])];
  showJob(job);
  const events = new EventSource(`/api/jobs/${job.id}/events`);
  state.events = events;
  events.addEventListener("job", (event) => {
    const update = JSON.parse(event.data);
    state.job = update;
    state.losses = [...update.losses];
    showJob(update);
    if (!["queued", "running"].includes(update.status)) events.close();
  });
  events.addEventListener("step", (event) => {
    const step = JSON.parse(event.data);
    state.losses.push(step.loss);
    showStep(step);
  });
  events.addEventListener("preview", (event) => {
    showPicture(`/api/jobs/${job.id}/image?step=${JSON.parse(event.data).step}`);
  });
}

function showJob(job) {
  const active = ["queued", "running"].includes(job.status);
  $("progress").hidden = false;
  $("cancel").hidden = !active;
  $("status").textContent = job.status === "queued" && job.position ? `queued (${job.position} in line)` : job.status;
  if (job.error) showMessage(job.error);
  showStep({ step: job.step, totalSteps: job.totalSteps, loss: job.loss, etaSeconds: null });
  if (job.image) showPicture(`${job.image}&status=${job.status}`);
  $("downloads").hidden = active || !job.image;
  $("download-png").href = `/api/jobs/${job.id}/result?format=png`;
  $("download-jpeg").href = `/api/jobs/${job.id}/result?format=jpeg`;
}

function showStep(step) {
  $("step").textContent = step.step;
  $("total").textContent = step.totalSteps;
  $("loss").textContent = step.loss == null ? "–" : step.loss.toExponential(3);
  $("eta").textContent = step.etaSeconds == null ? "–" : `${Math.round(step.etaSeconds)} s left`;
  $("progress-bar").style.width = step.totalSteps ? `${(100 * step.step) / step.totalSteps}%` : "0";
  drawLosses();
}

function drawLosses() {
  const canvas = $("loss-chart");
  const context = canvas.getContext("2d");
  context.clearRect(0, 0, canvas.width, canvas.height);
  const values = (state.losses || []).filter((loss) => loss > 0).map(Math.log10);
  if (values.length < 2) return;
  const [low, high] = [Math.min(...values), Math.max(...values)];
  context.strokeStyle = "#b0482b";
  context.lineWidth = 2;
  context.beginPath();
  values.forEach((value, index) => {
    const x = (index / (values.length - 1)) * (canvas.width - 10) + 5;
    const y = canvas.height - 5 - ((value - low) / (high - low || 1)) * (canvas.height - 10);
    index === 0 ? context.moveTo(x, y) : context.lineTo(x, y);
  });
  context.stroke();
}

// MARK: Gallery

async function loadGallery() {
  const jobs = await json("/api/jobs");
  $("gallery").replaceChildren(...jobs.map((job) => {
    const card = document.createElement("div");
    card.className = "card";
    const style = job.settings.style.builtin !== undefined ? `style ${job.settings.style.builtin + 1}` : "painting";
    const seconds = job.startedAt && job.finishedAt ? `${Math.round((new Date(job.finishedAt) - new Date(job.startedAt)) / 1000)} s` : "";
    card.innerHTML = `<img alt=""><p><strong class="status-${job.status}"></strong> · ${job.settings.method} · ${style} · ${seconds}</p>`;
    card.querySelector("strong").textContent = job.status;
    if (job.thumbnail || job.image) card.querySelector("img").src = job.thumbnail || job.image;
    const open = document.createElement("button");
    open.textContent = "Open";
    open.addEventListener("click", () => { $("tab-paint").click(); watch(job); });
    const remove = document.createElement("button");
    remove.textContent = "Delete";
    remove.addEventListener("click", async () => {
      await api(`/api/jobs/${job.id}`, { method: "DELETE" }).catch((error) => showMessage(error.message));
      loadGallery();
    });
    card.append(open, " ", remove);
    return card;
  }));
}

// MARK: Live webcam

const live = { socket: null, stream: null, inFlight: 0, frames: [], running: false, sentSize: null, sizeChanged: false };

function liveSize() {
  const [width, height] = $("live-size").value.split("x").map(Number);
  return { width, height };
}

function sendLiveSettings() {
  if (live.socket?.readyState !== WebSocket.OPEN) return;
  live.socket.send(JSON.stringify({ style: state.style, strength: Number($("live-strength").value), ...(live.sentSize || liveSize()) }));
}

$("live-start").addEventListener("click", async () => {
  showMessage("");
  $("live-start").disabled = true;
  const { width, height } = liveSize();
  try {
    live.stream = await navigator.mediaDevices.getUserMedia({ video: { width, height }, audio: false });
    const video = $("live-video");
    video.srcObject = live.stream;
    await video.play();
  } catch (error) {
    showMessage(`The camera is not available: ${error.message}`);
    stopLive();
    return;
  }
  const socket = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/live`);
  socket.binaryType = "arraybuffer";
  live.socket = socket;
  socket.onopen = () => {
    live.running = true;
    live.since = performance.now();
    live.timer = setInterval(showRate, 1000);
    pump();
  };
  socket.onmessage = (event) => {
    if (typeof event.data === "string") return liveText(JSON.parse(event.data));
    if (!live.running) return;
    live.inFlight -= 1;
    const { width: w, height: h } = live.sentSize;
    // Frames sent before a size change come back at the old size; they are not drawn.
    if (event.data.byteLength === w * h * 4) {
      const canvas = $("live-canvas");
      if (canvas.width !== w) { canvas.width = w; canvas.height = h; }
      canvas.getContext("2d").putImageData(new ImageData(new Uint8ClampedArray(event.data), w, h), 0, 0);
      countFrame();
    }
    pump();
  };
  socket.onclose = () => stopLive();
  $("live-stop").disabled = false;
});

// The server answers every frame once: painted (binary), skipped, or an error about the frame.
const frameErrors = ["no_settings", "bad_frame"];

function liveText(message) {
  if (message.type === "stats") {
    $("live-server").textContent = message.serverMilliseconds.toFixed(1);
    $("live-dropped").textContent = message.dropped;
    return;
  }
  if (message.type === "error") showMessage(message.message);
  if (message.type === "skipped" || frameErrors.includes(message.code)) {
    live.inFlight -= 1;
    pump();
  }
}

// Two frames in flight keep the server busy while one travels; more would only wait there.
function pump() {
  if (!live.running) return;
  const video = $("live-video");
  while (live.inFlight < 2) {
    if (!live.sentSize || live.sizeChanged) {
      live.sizeChanged = false;
      live.sentSize = liveSize();
      live.frames = [];
      live.since = performance.now();
      sendLiveSettings();
    }
    const size = live.sentSize;
    const grab = live.grab || (live.grab = document.createElement("canvas"));
    grab.width = size.width;
    grab.height = size.height;
    const context = grab.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0, size.width, size.height);
    live.socket.send(context.getImageData(0, 0, size.width, size.height).data.buffer);
    live.inFlight += 1;
  }
}

// Frames/s: frames received in the last five seconds (or since the start or the last size
// change, if sooner), recomputed every second, so a stalled stream shows 0, not its last rate.
function countFrame() {
  live.frames.push(performance.now());
}

function showRate() {
  const now = performance.now();
  live.frames = live.frames.filter((time) => now - time <= 5000);
  const span = Math.min(5, (now - live.since) / 1000);
  const rate = span > 0.5 ? live.frames.length / span : 0;
  $("live-fps").textContent = `${rate.toFixed(1)} frames/s`;
  $("live-fps").dataset.rate = rate.toFixed(2);
}

function stopLive() {
  live.running = false;
  live.inFlight = 0;
  live.sentSize = null;
  live.frames = [];
  clearInterval(live.timer);
  if (live.socket) { live.socket.onclose = null; live.socket.close(); live.socket = null; }
  if (live.stream) { for (const track of live.stream.getTracks()) track.stop(); live.stream = null; }
  $("live-start").disabled = false;
  $("live-stop").disabled = true;
}

$("live-stop").addEventListener("click", stopLive);
$("live-size").addEventListener("change", () => { live.sizeChanged = true; });
$("live-style").addEventListener("change", () => pickStyle(JSON.parse($("live-style").value)));
$("live-strength").addEventListener("change", sendLiveSettings);
document.querySelector("#tab-live").addEventListener("click", () => sendLiveSettings());

// MARK: Start

dropZone($("photo-drop"), $("photo-input"), "photo");
dropZone($("painting-drop"), $("painting-input"), "painting");

(async () => {
  try {
    await Promise.all([loadPhotos(), loadStyles()]);
    changed();
    const jobs = await json("/api/jobs");
    const active = jobs.find((job) => ["running", "queued"].includes(job.status));
    if (active) watch(active);
  } catch (error) {
    showMessage(error.message);
  }
})();
