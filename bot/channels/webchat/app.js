// The web chat page: sends the citizen's text to the chat webhook and shows the replies.
// Everything the assistant or the citizen wrote is inserted as text nodes (textContent),
// never as HTML, so markup in a message is shown literally and can never run.
"use strict";

(function () {
  var WEBHOOK = "webhook"; // relative: works under /webhooks/chat/ and behind a proxy prefix
  var TIMEOUT_MS = 60000; // Rasa answers in about a second; a busy server may need longer
  var SENDER_KEY = "langfang-webchat-sender";
  var FONT_KEY = "langfang-webchat-large-font";
  var HISTORY_KEY = "langfang-webchat-history";
  var MAX_HISTORY = 60; // messages kept for a reload; older ones are dropped
  var HOTLINE_RE = /^123\d\d$/; // 12345, 12333, 12348, 12320 ...: made tappable
  var NETWORK_ERROR =
    "抱歉，网络连接出现问题，暂时无法回答。请稍后再试，或拨打12345政务服务便民热线咨询。";
  var SERVER_ERROR =
    "抱歉，系统暂时无法回答您的问题。请稍后再试，或拨打12345政务服务便民热线咨询。";

  var messages = document.getElementById("messages");
  var form = document.getElementById("composer");
  var input = document.getElementById("input");
  var sendButton = document.getElementById("send");
  var busy = false;

  // --- storage (it can be missing or refuse writes, e.g. in private browsing) -----------
  // localStorage keeps the sender id and the font choice; sessionStorage keeps the
  // conversation on screen for this tab only (phones reload tabs they have put away),
  // so it is gone when the tab is closed, e.g. on a shared computer.
  function load(key, store) {
    try {
      return (store || window.localStorage).getItem(key);
    } catch (e) {
      return null;
    }
  }

  function save(key, value, store) {
    try {
      (store || window.localStorage).setItem(key, value);
    } catch (e) {
      /* the page still works; this just does not survive a reload */
    }
  }

  function newSenderId() {
    // getRandomValues works on plain http too (randomUUID needs a secure context).
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  var senderId = load(SENDER_KEY);
  if (!senderId || !/^[A-Za-z0-9_-]{1,64}$/.test(senderId)) {
    senderId = newSenderId();
    save(SENDER_KEY, senderId);
  }

  // --- rendering ---------------------------------------------------------------------
  // Appends text to a node, turning hotline numbers into tel: links so a phone can dial
  // them with one tap. Only text nodes and <a> elements built here are created.
  function appendText(node, text) {
    text.split(/(\d+)/).forEach(function (part) {
      if (!part) return;
      if (HOTLINE_RE.test(part)) {
        var link = document.createElement("a");
        link.href = "tel:" + part;
        link.textContent = part;
        node.appendChild(link);
      } else {
        node.appendChild(document.createTextNode(part));
      }
    });
  }

  function scrollToEnd() {
    messages.scrollTop = messages.scrollHeight;
  }

  function addMessage(who, text) {
    var item = document.createElement("div");
    item.className = "msg " + who;
    var label = document.createElement("p");
    label.className = "who";
    label.textContent = who === "user" ? "我" : "助手";
    item.appendChild(label);
    if (text) {
      var body = document.createElement("p");
      body.className = "text";
      appendText(body, text);
      item.appendChild(body);
    }
    messages.appendChild(item);
    scrollToEnd();
    return item;
  }

  // Choices are only valid as the answer to the latest question: once the citizen says
  // anything else, older numbered buttons would pick from a list the assistant has
  // moved on from, so they are disabled.
  function retireChoices() {
    var old = messages.querySelectorAll(".choices button");
    Array.prototype.forEach.call(old, function (button) {
      button.disabled = true;
    });
  }

  function addChoices(item, buttons, entry) {
    var list = document.createElement("div");
    list.className = "choices";
    list.setAttribute("role", "group");
    list.setAttribute("aria-label", "请选择一项");
    buttons.forEach(function (choice, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "choice";
      var title = String(choice.title);
      var payload = String(choice.payload);
      // A numbered choice ("2. 城乡居民基本医疗保险", payload "2") shows its number as a
      // large badge, so it matches "回复序号 1/2" in the text above it.
      var label = title;
      if (/^\d+$/.test(payload)) {
        var prefix = title.match(/^\s*(\d+)\s*[.、．:：]?\s*/);
        if (prefix && prefix[1] === payload) label = title.slice(prefix[0].length);
        var number = document.createElement("span");
        number.className = "number";
        number.setAttribute("aria-hidden", "true");
        number.textContent = payload;
        button.appendChild(number);
        button.setAttribute("aria-label", payload + ". " + label);
      }
      var text = document.createElement("span");
      text.className = "label";
      text.textContent = label;
      button.appendChild(text);
      if (entry.chosen === index) button.classList.add("chosen");
      button.addEventListener("click", function () {
        if (busy) return;
        button.classList.add("chosen");
        entry.chosen = index;
        saveTranscript();
        send(payload, title);
      });
      list.appendChild(button);
    });
    item.appendChild(list);
  }

  // --- the conversation kept for a reload (plain data, rendered like new messages) ---
  var transcript = [];

  function saveTranscript() {
    save(HISTORY_KEY, JSON.stringify(transcript), window.sessionStorage);
  }

  function remember(entry) {
    transcript.push(entry);
    if (transcript.length > MAX_HISTORY) transcript.splice(0, transcript.length - MAX_HISTORY);
    saveTranscript();
    return entry;
  }

  function render(entry) {
    var item = addMessage(entry.who, entry.text);
    if (entry.error) item.classList.add("error");
    if (entry.buttons && entry.buttons.length) addChoices(item, entry.buttons, entry);
    return item;
  }

  function validEntry(entry) {
    return (
      entry &&
      (entry.who === "user" || entry.who === "bot") &&
      typeof entry.text === "string" &&
      (entry.buttons === undefined ||
        (Array.isArray(entry.buttons) &&
          entry.buttons.every(function (b) {
            return b && typeof b.title === "string" && typeof b.payload === "string";
          })))
    );
  }

  function restoreTranscript() {
    var stored;
    try {
      stored = JSON.parse(load(HISTORY_KEY, window.sessionStorage) || "[]");
    } catch (e) {
      stored = [];
    }
    if (!Array.isArray(stored)) return;
    transcript = stored.filter(validEntry).slice(-MAX_HISTORY);
    transcript.forEach(render);
    // Only the last list of choices, if nothing was said after it, can still be used.
    retireChoices();
    var last = transcript[transcript.length - 1];
    if (last && last.buttons && last.chosen === undefined) {
      var open = messages.lastChild.querySelectorAll(".choices button");
      Array.prototype.forEach.call(open, function (button) {
        button.disabled = false;
      });
    }
    scrollToEnd();
  }

  function showReplies(replies) {
    if (!Array.isArray(replies) || replies.length === 0) {
      render(remember({ who: "bot", text: SERVER_ERROR, error: true }));
      return;
    }
    var first = null;
    replies.forEach(function (reply) {
      if (!reply || typeof reply !== "object") return;
      var text = typeof reply.text === "string" ? reply.text : "";
      var buttons = (Array.isArray(reply.buttons) ? reply.buttons : [])
        .filter(function (b) {
          return b && b.title != null && b.payload != null;
        })
        .map(function (b) {
          return { title: String(b.title), payload: String(b.payload) };
        });
      if (!text && buttons.length === 0) return;
      var entry = { who: "bot", text: text };
      if (buttons.length) entry.buttons = buttons;
      var item = render(remember(entry));
      first = first || item;
    });
    if (!first) {
      render(remember({ who: "bot", text: SERVER_ERROR, error: true }));
      return;
    }
    // Show the end of the conversation, but never scroll past the start of the answer:
    // a long answer is read from its first line. (The browser clamps scrollTop to the
    // end when the answer fits.)
    messages.scrollTop = first.offsetTop - 8;
  }

  function setBusy(value) {
    busy = value;
    sendButton.disabled = value;
    messages.setAttribute("aria-busy", value ? "true" : "false");
    var chips = document.querySelectorAll(".chip");
    Array.prototype.forEach.call(chips, function (chip) {
      chip.disabled = value;
    });
  }

  function showTyping() {
    var item = document.createElement("div");
    item.className = "msg bot typing";
    var text = document.createElement("p");
    text.className = "text";
    text.textContent = "正在查询，请稍候…";
    item.appendChild(text);
    messages.appendChild(item);
    scrollToEnd();
    return item;
  }

  // --- talking to the assistant -------------------------------------------------------
  // `message` is what the assistant reads (a choice's payload, e.g. "1"); `shown` is what
  // the citizen sees in their own bubble (the choice's title).
  function send(message, shown) {
    message = String(message || "").trim();
    if (busy || !message) return;
    retireChoices();
    render(remember({ who: "user", text: shown || message }));
    setBusy(true);
    var typing = showTyping();
    var controller = "AbortController" in window ? new AbortController() : null;
    var timer = controller
      ? setTimeout(function () {
          controller.abort();
        }, TIMEOUT_MS)
      : null;
    fetch(WEBHOOK, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: senderId, message: message }),
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (replies) {
        typing.remove();
        showReplies(replies);
      })
      .catch(function (error) {
        typing.remove();
        var offline = error && (error.name === "AbortError" || error.name === "TypeError");
        render(
          remember({ who: "bot", text: offline ? NETWORK_ERROR : SERVER_ERROR, error: true })
        );
      })
      .then(function () {
        if (timer) clearTimeout(timer);
        setBusy(false);
        // Keep typing where you were; on phones, focusing would pop the keyboard up.
        if (!window.matchMedia("(pointer: coarse)").matches) input.focus();
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    if (!text.trim() || busy) return;
    input.value = "";
    send(text);
  });

  // Enter sends (the form's submit), except while a Chinese input method is composing:
  // there Enter confirms the candidate characters and must not send half a sentence.
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.isComposing || event.keyCode === 229)) {
      event.preventDefault();
    }
  });

  restoreTranscript();

  Array.prototype.forEach.call(document.querySelectorAll(".chip"), function (chip) {
    chip.addEventListener("click", function () {
      send(chip.textContent);
    });
  });

  // --- tools ------------------------------------------------------------------------
  var fontToggle = document.getElementById("font-toggle");
  function applyFont(large) {
    document.documentElement.classList.toggle("large", large);
    fontToggle.setAttribute("aria-pressed", large ? "true" : "false");
    fontToggle.textContent = large ? "标准字" : "大字";
  }
  applyFont(load(FONT_KEY) === "1");
  fontToggle.addEventListener("click", function () {
    var large = !document.documentElement.classList.contains("large");
    applyFont(large);
    save(FONT_KEY, large ? "1" : "0");
    scrollToEnd();
  });

  // A new id starts a fresh conversation (useful on a shared computer): the assistant
  // no longer connects new questions to what the previous person asked.
  document.getElementById("restart").addEventListener("click", function () {
    if (busy) return;
    senderId = newSenderId();
    save(SENDER_KEY, senderId);
    var welcome = messages.querySelector(".welcome");
    while (messages.lastChild && messages.lastChild !== welcome) {
      messages.removeChild(messages.lastChild);
    }
    transcript = [];
    saveTranscript();
    input.value = "";
    input.focus();
  });
})();
