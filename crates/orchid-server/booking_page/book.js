// The store's public booking page: no framework, no app bundle. Every rule is the server's (the
// core's booking rules); this script only asks and shows, in Chinese or English.
"use strict";

const WORDS = {
  zh: {
    title: "网上预约", service: "服务", therapist: "美容师", anyone: "不限（任一位）",
    date: "日期", time: "时间", name: "姓名", phone: "手机号", needs: "需求（选填）",
    honeypot: "请勿填写此项", submit: "提交预约", booked: "预约成功",
    booking: "正在提交…", loading: "加载中…",
    pending: "门店确认后，预约才算成立；门店会与您联系。",
    keep_link: "请保存这个链接，用它查看、改约或取消预约：",
    cancel: "取消预约", move: "改约", cancelled: "预约已取消",
    moved: "已改约", confirm_cancel: "确定取消这个预约吗？",
    too_late_note: "预约时间临近，无法在线更改；如需更改请致电门店。",
    no_slots: "这一天没有空闲时间，请换一天。", pick_slot: "请选择时间。",
    pick_service: "请选择服务。", minutes: "分钟", yuan: "元",
    s_service: "服务", s_therapist: "美容师", s_when: "时间", s_status: "状态",
    st_booked: "待门店确认", st_confirmed: "已确认", st_cancelled: "已取消",
    st_arrived: "已到店", st_in_service: "服务中", st_completed: "已完成", st_no_show: "未到店",
    your_booking: "您的预约",
    e_not_found: "找不到这家门店的网上预约，或门店暂停了网上预约。",
    e_slot_taken: "这个时间刚被约走了，请另选时间。",
    e_name: "请填写姓名（1–60 个字）。", e_phone: "请填写有效的手机号（11 位）。",
    e_needs: "需求最多 500 字。", e_too_many: "预约次数过多，请稍后再试或致电门店。",
    e_too_late: "预约时间临近，无法在线预约或更改，请致电门店。",
    e_too_far: "这一天还未开放预约。", e_service: "门店不在网上提供这项服务。",
    e_rejected: "无法在此提交预约，请致电门店。", e_link: "这个预约链接无效。",
    e_network: "连接不上门店的服务器，请稍后再试。", e_other: "出了点问题，请稍后再试或致电门店。",
    consult: "咨询问题（选填）", consult_hint: "提前回答，美容师会在护理前与您当面确认。",
    yes: "是", no: "否", choose: "请选择", consent_title: "健康信息同意书",
    consent_label: "我已阅读以上健康信息同意书（版本 {v}），同意门店保存我的回答等健康信息。",
    e_consent: "回答咨询问题需要您同意门店保存健康信息：请勾选同意，或不回答这些问题。",
    e_answer: "有一个回答与这项服务的问题不符，请刷新页面后重新填写。",
    e_answer_long: "每个回答最多 500 字。", e_consent_text: "同意书已更新，请刷新页面后重新阅读。",
  },
  en: {
    title: "Book online", service: "Service", therapist: "Therapist", anyone: "Anyone",
    date: "Date", time: "Time", name: "Name", phone: "Mobile phone", needs: "Your needs (optional)",
    honeypot: "Leave this field empty", submit: "Book", booked: "You are booked",
    booking: "Booking…", loading: "Loading…",
    pending: "The store confirms your booking and will contact you.",
    keep_link: "Keep this link to see, move or cancel your booking:",
    cancel: "Cancel the booking", move: "Move to another time", cancelled: "The booking is cancelled",
    moved: "Moved", confirm_cancel: "Cancel this booking?",
    too_late_note: "Your booking is too close to change online; please call the store.",
    no_slots: "No free time on this day; try another day.", pick_slot: "Choose a time.",
    pick_service: "Choose a service.", minutes: "min", yuan: "yuan",
    s_service: "Service", s_therapist: "Therapist", s_when: "When", s_status: "Status",
    st_booked: "Waiting for the store's confirmation", st_confirmed: "Confirmed",
    st_cancelled: "Cancelled", st_arrived: "Arrived", st_in_service: "In service",
    st_completed: "Completed", st_no_show: "No-show",
    your_booking: "Your booking",
    e_not_found: "This store does not take online bookings at this address (or has paused them).",
    e_slot_taken: "This time was just taken; please choose another.",
    e_name: "Please give your name (1–60 characters).", e_phone: "Please give a valid mobile number (11 digits).",
    e_needs: "Your needs: at most 500 characters.", e_too_many: "Too many bookings; try later or call the store.",
    e_too_late: "This is too close to book or change online; please call the store.",
    e_too_far: "This day is not open for booking yet.", e_service: "The store does not offer this service online.",
    e_rejected: "This booking cannot be taken here; please call the store.", e_link: "This booking link is not valid.",
    e_network: "Cannot reach the store's server; try again shortly.", e_other: "Something went wrong; try again or call the store.",
    consult: "Consultation questions (optional)", consult_hint: "Answer ahead; your therapist goes through them with you before the treatment.",
    yes: "Yes", no: "No", choose: "Choose", consent_title: "Consent to keep health information",
    consent_label: "I have read the consent above (version {v}) and agree that the store keeps my answers and other health information.",
    e_consent: "Your answers are health information, kept only with your consent: tick the box, or leave the questions empty.",
    e_answer: "An answer does not fit this service's questions; reload the page and fill them in again.",
    e_answer_long: "Each answer is at most 500 characters.", e_consent_text: "The consent text has changed; reload the page and read it again.",
  },
};

const ERRORS = {
  "booking.not_found": "e_not_found", "booking.slot_taken": "e_slot_taken",
  "booking.name_invalid": "e_name", "booking.phone_invalid": "e_phone",
  "booking.needs_too_long": "e_needs", "booking.too_many": "e_too_many",
  "booking.too_late": "e_too_late", "booking.too_far": "e_too_far",
  "booking.unknown_service": "e_service", "booking.rejected": "e_rejected",
  "booking.link_unknown": "e_link", "network": "e_network",
  "booking.consent_required": "e_consent", "booking.answer_invalid": "e_answer",
  "booking.answer_too_long": "e_answer_long", "booking.consent_unknown": "e_consent_text",
};

const $ = (id) => document.getElementById(id);
const parts = location.pathname.split("/").filter(Boolean);
const code = parts[1] || "";
const managing = parts[2] === "manage";
let lang = localStorage.getItem("orchid-book-lang") || (document.documentElement.lang === "en" ? "en" : "zh");
let page = null;
let chosenService = null;
let chosenSlot = null;
let current = null;
let lastError = null;
// Her answers to the chosen service's questions, by key: health data, sent only with her consent.
let given = {};

const t = (key) => WORDS[lang][key] || key;

function setLanguage(next) {
  lang = next;
  localStorage.setItem("orchid-book-lang", lang);
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  const toggle = $("language");
  toggle.textContent = lang === "en" ? "中文" : "English";
  toggle.lang = lang === "en" ? "zh-CN" : "en";
  document.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t(el.dataset.t); });
  if (page) { $("store-name").textContent = page.store.name; document.title = page.store.name + " · " + t("title"); }
  if (lastError) showError(lastError);
  // The times offered and the one chosen stay: they are the same in both languages.
  if (page && !managing && $("done").hidden) { renderServices(); renderTherapists(); renderQuestions(); }
  if (current) showBooking(current);
}

function showError(code) {
  lastError = code;
  $("error").textContent = code ? t(ERRORS[code] || "e_other") : "";
}

async function api(method, path, body) {
  let response;
  try {
    response = await fetch("/api/v1" + path, {
      method,
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (_) {
    throw { code: "network" };
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw { code: data.error || "other" };
  return data;
}

// Times are shown in the store's own time zone, whatever the phone's.
function local(iso, offset) {
  return new Date(Date.parse(iso) + offset * 60000);
}
const pad = (n) => String(n).padStart(2, "0");
function clock(iso, offset) {
  const d = local(iso, offset);
  return pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes());
}
function day(iso, offset) {
  const d = local(iso, offset);
  return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate());
}
function storeToday(offset, plusDays) {
  return day(new Date(Date.now() + plusDays * 86400000).toISOString(), offset);
}

function renderServices() {
  const box = $("services");
  box.textContent = "";
  page.services.forEach((service) => {
    const label = document.createElement("label");
    label.className = "choice";
    const input = document.createElement("input");
    input.type = "radio";
    input.name = "service";
    input.value = service.id;
    input.checked = chosenService === service.id;
    input.addEventListener("change", () => {
      chosenService = service.id; given = {}; renderTherapists(); renderQuestions(); loadSlots();
    });
    const text = document.createElement("span");
    const price = (service.price / 100).toFixed(service.price % 100 ? 2 : 0);
    text.textContent = service.name + " · " + service.duration_minutes + " " + t("minutes") + " · " + price + " " + t("yuan");
    label.append(input, text);
    box.append(label);
  });
}

// The chosen service's consultation questions (as the store wrote them), and the consent text
// (the core's, in the page's language) with its separate, unticked box.
function renderQuestions() {
  const service = page.services.find((s) => s.id === chosenService);
  const questions = service ? service.questions || [] : [];
  $("consult").hidden = questions.length === 0;
  const box = $("questions");
  box.textContent = "";
  questions.forEach((q, n) => {
    const kind = q.kind.kind;
    const id = "q-" + n;
    if (kind === "yes_no") {
      const set = document.createElement("fieldset");
      set.className = "question";
      const legend = document.createElement("legend");
      legend.textContent = q.text;
      set.append(legend);
      [["yes", true], ["no", false]].forEach(([word, value]) => {
        const label = document.createElement("label");
        label.className = "choice";
        const input = document.createElement("input");
        input.type = "radio";
        input.name = id;
        input.checked = given[q.key] && given[q.key].value === value;
        input.addEventListener("change", () => { given[q.key] = { type: "yes_no", value }; });
        const text = document.createElement("span");
        text.textContent = t(word);
        label.append(input, text);
        set.append(label);
      });
      box.append(set);
      return;
    }
    const field = document.createElement("div");
    field.className = "field question";
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = q.text;
    let input;
    if (kind === "choice") {
      input = document.createElement("select");
      const none = document.createElement("option");
      none.value = "";
      none.textContent = t("choose");
      input.append(none);
      q.kind.choices.forEach((c) => {
        const option = document.createElement("option");
        option.value = c;
        option.textContent = c;
        input.append(option);
      });
      input.value = given[q.key] ? given[q.key].value : "";
      input.addEventListener("change", () => {
        if (input.value) given[q.key] = { type: "choice", value: input.value }; else delete given[q.key];
      });
    } else {
      input = document.createElement("textarea");
      input.rows = 2;
      input.maxLength = 500;
      input.value = given[q.key] ? given[q.key].value : "";
      input.addEventListener("input", () => {
        if (input.value.trim()) given[q.key] = { type: "text", value: input.value.trim() }; else delete given[q.key];
      });
    }
    input.id = id;
    field.append(label, input);
    box.append(field);
  });
  const consent = page.health_consent;
  const text = $("consent-text");
  text.textContent = "";
  (consent[lang] || []).forEach((paragraph) => {
    const p = document.createElement("p");
    p.textContent = paragraph;
    text.append(p);
  });
  $("consent-label").textContent = t("consent_label").replace("{v}", consent.version);
}

function answersGiven() {
  return Object.entries(given).map(([key, value]) => ({ key, value }));
}

function renderTherapists() {
  const select = $("therapist");
  const keep = select.value;
  select.textContent = "";
  const anyone = document.createElement("option");
  anyone.value = "";
  anyone.textContent = t("anyone");
  select.append(anyone);
  page.therapists
    .filter((p) => !chosenService || p.services.includes(chosenService))
    .forEach((p) => {
      const option = document.createElement("option");
      option.value = p.id;
      option.textContent = p.name;
      select.append(option);
    });
  select.value = [...select.options].some((o) => o.value === keep) ? keep : "";
}

async function slotsOf(date, therapist, box, onPick) {
  box.textContent = "";
  if (!chosenService || !date) return;
  const query = new URLSearchParams({ service: chosenService, date });
  if (therapist) query.set("therapist", therapist);
  let data;
  try {
    data = await api("GET", "/book/" + code + "/slots?" + query);
  } catch (e) { showError(e.code); return; }
  if (data.slots.length === 0) {
    const none = document.createElement("p");
    none.className = "note";
    none.dataset.t = "no_slots";
    none.textContent = t("no_slots");
    box.append(none);
    return;
  }
  data.slots.forEach((slot) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "slot";
    button.textContent = clock(slot.start, page ? page.store.utc_offset_minutes : current.utc_offset_minutes);
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", () => {
      box.querySelectorAll(".slot").forEach((b) => b.setAttribute("aria-pressed", "false"));
      button.setAttribute("aria-pressed", "true");
      onPick(slot);
    });
    box.append(button);
  });
}

function loadSlots() {
  chosenSlot = null;
  return slotsOf($("date").value, $("therapist").value, $("slots"), (slot) => { chosenSlot = slot; });
}

function showBooking(view) {
  current = view;
  $("book").hidden = true;
  $("done").hidden = false;
  $("store-name").textContent = view.store_name;
  document.title = view.store_name + " · " + t("title");
  $("done-title").textContent = view.status === "cancelled" ? t("cancelled") : (managing ? t("your_booking") : t("booked"));
  const summary = $("summary");
  summary.textContent = "";
  const rows = [
    ["s_service", view.service_name],
    ["s_therapist", view.therapist_name || t("anyone")],
    ["s_when", day(view.start, view.utc_offset_minutes) + " " + clock(view.start, view.utc_offset_minutes) + "–" + clock(view.end, view.utc_offset_minutes)],
    ["s_status", t("st_" + view.status)],
  ];
  rows.forEach(([key, value]) => {
    const dt = document.createElement("dt");
    dt.textContent = t(key);
    const dd = document.createElement("dd");
    dd.textContent = value;
    summary.append(dt, dd);
  });
  $("pending").hidden = view.status !== "booked";
  const token = view.token || location.hash.slice(1);
  const link = location.origin + "/book/" + view.code + "/manage#" + token;
  $("manage-link").href = link;
  $("manage-link").textContent = link;
  const open = view.may_change && view.status !== "cancelled";
  $("manage").hidden = !open;
  $("too-late").hidden = open || view.status === "cancelled";
  if (open) {
    const dateInput = $("move-date");
    dateInput.min = storeToday(view.utc_offset_minutes, 0);
  }
}

async function submit(event) {
  event.preventDefault();
  showError(null);
  if (!chosenService) { $("status").textContent = t("pick_service"); return; }
  if (!chosenSlot) { $("status").textContent = t("pick_slot"); return; }
  // Her answers are health data: without her consent they are not sent (the server would refuse).
  const answers = answersGiven();
  const consented = $("consent").checked;
  if (answers.length > 0 && !consented) {
    showError("booking.consent_required");
    // Said beside the box too: on a phone the page's alert is a long way up.
    $("consent-note").hidden = false;
    $("consent").focus();
    return;
  }
  $("status").textContent = t("booking");
  $("submit").disabled = true;
  try {
    const view = await api("POST", "/book/" + code, {
      service_id: chosenService,
      therapist_id: $("therapist").value || null,
      start: chosenSlot.start,
      name: $("name").value,
      phone: $("phone").value,
      needs: $("needs").value,
      answers,
      health_consent: consented ? page.health_consent.version : null,
      language: lang,
      website: $("website").value,
    });
    $("status").textContent = "";
    showBooking(view);
    $("done-title").focus();
  } catch (e) {
    $("status").textContent = "";
    showError(e.code);
    if (e.code === "booking.slot_taken") loadSlots();
  } finally {
    $("submit").disabled = false;
  }
}

async function manageStart() {
  const token = location.hash.slice(1);
  try {
    showBooking(await api("POST", "/booking/view", { token }));
  } catch (e) { showError(e.code); return; }
  $("cancel").addEventListener("click", async () => {
    if (!confirm(t("confirm_cancel"))) return;
    showError(null);
    try { showBooking(await api("POST", "/booking/cancel", { token })); $("status").textContent = t("cancelled"); }
    catch (e) { showError(e.code); }
  });
  $("move-date").addEventListener("change", async () => {
    const view = current;
    // The booking's service, by name: the private link's answer does not carry its id.
    try { page = page || await api("GET", "/book/" + code); } catch (e) { showError(e.code); return; }
    const service = page.services.find((s) => s.name === view.service_name);
    chosenService = service ? service.id : null;
    slotsOf($("move-date").value, "", $("move-slots"), async (slot) => {
      showError(null);
      try {
        showBooking(await api("POST", "/booking/reschedule", { token, start: slot.start, therapist_id: slot.therapist_id }));
        $("status").textContent = t("moved");
      } catch (e) { showError(e.code); }
    });
  });
}

async function bookStart() {
  $("status").textContent = t("loading");
  try {
    page = await api("GET", "/book/" + code);
  } catch (e) { $("status").textContent = ""; showError(e.code); return; }
  $("status").textContent = "";
  $("book").hidden = false;
  const offset = page.store.utc_offset_minutes;
  const date = $("date");
  date.min = storeToday(offset, 0);
  date.max = storeToday(offset, page.store.days_ahead);
  date.value = storeToday(offset, 1);
  if (page.services.length === 1) chosenService = page.services[0].id;
  setLanguage(lang);
  loadSlots();
  $("therapist").addEventListener("change", loadSlots);
  date.addEventListener("change", loadSlots);
  $("form").addEventListener("submit", submit);
  $("consent").addEventListener("change", () => {
    $("consent-note").hidden = true;
    if (lastError === "booking.consent_required") showError(null);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  $("done-title").tabIndex = -1;
  $("language").addEventListener("click", () => setLanguage(lang === "en" ? "zh" : "en"));
  setLanguage(lang);
  if (managing) manageStart(); else bookStart();
});
