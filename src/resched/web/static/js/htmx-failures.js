// What an htmx request that failed tells the user. htmx swaps nothing for an error answer
// (4xx/5xx) or a lost connection and only fires an event, so without this a 503 (the database
// restarting, every pooled connection busy: resched.api.unavailable) left a button that seemed
// to do nothing. Here the failure is said in words (role=alert) beside the form that sent it,
// or at the top of the page: the server's own sentence when it sent one, and "try again in N s"
// from Retry-After. Nothing is swapped, so what was typed stays in the form. An error answer a
// page chose to swap (htmx responseHandling) shows itself and is left alone.
(() => {
  const MESSAGE_CLASS = "request-failure";

  function serverSentence(xhr) {
    const type = (xhr.getResponseHeader("Content-Type") || "").toLowerCase();
    const body = xhr.responseText || "";
    if (type.includes("text/html")) {
      // DOMParser runs no script and loads nothing; only text is taken from it.
      const page = new DOMParser().parseFromString(body, "text/html");
      const main = page.querySelector("main") || page.body;
      const title = main && main.querySelector("h1");
      const explanation = main && main.querySelector("p:not(.lede)");
      return [title, explanation]
        .filter(Boolean)
        .map((node) => node.textContent.trim())
        .filter(Boolean)
        .map((text) => (/[.!?]$/.test(text) ? text : `${text}.`))
        .join(" ");
    }
    if (type.includes("json")) {
      try {
        const error = JSON.parse(body).error;
        return error && typeof error.message === "string" ? error.message : "";
      } catch {
        return "";
      }
    }
    return type.includes("text/plain") && body.length <= 300 ? body.trim() : "";
  }

  function retryAfterSeconds(xhr) {
    const value = (xhr && xhr.getResponseHeader("Retry-After")) || "";
    return /^\d+$/.test(value.trim()) ? Number(value) : null;
  }

  function failureText(detail, kept) {
    const xhr = detail.xhr;
    const sentences = [];
    if (xhr && xhr.status) {
      sentences.push(serverSentence(xhr) || `The server could not answer (error ${xhr.status}).`);
    } else {
      sentences.push("The server could not be reached: check the connection.");
    }
    if (kept) sentences.push("What you entered is still here.");
    const seconds = retryAfterSeconds(xhr);
    sentences.push(seconds === null ? "Try again in a moment." : `Try again in ${seconds} s.`);
    return sentences.join(" ");
  }

  function existingRegion(form) {
    const holder = form || document.getElementById("main") || document.body;
    return holder.querySelector(`:scope > .${MESSAGE_CLASS}`);
  }

  // Error answers a page chose to swap in (responseHandling): htmx:responseError carries no
  // word of it, htmx:beforeSwap (earlier, for the same request) does.
  const swapped = new WeakSet();

  function noteSwap(event) {
    const detail = event.detail || {};
    if (detail.isError && detail.shouldSwap && detail.xhr) swapped.add(detail.xhr);
  }

  function show(event) {
    const detail = event.detail || {};
    if (detail.xhr && swapped.has(detail.xhr)) return; // the page shows this answer itself
    const source = detail.elt instanceof Element ? detail.elt : event.target;
    const form = source instanceof Element ? source.closest("form") : null;
    const text = failureText(detail, Boolean(form));
    let region = existingRegion(form);
    if (!region || region.textContent !== text) {
      // A new alert each time the words change, so it is announced (a poll failing every
      // second with the same words is not announced again and again).
      const fresh = document.createElement("div");
      fresh.className = `notice warning ${MESSAGE_CLASS}`;
      fresh.setAttribute("role", "alert");
      fresh.textContent = text;
      if (region) region.replaceWith(fresh);
      else if (form) form.append(fresh);
      else (document.getElementById("main") || document.body).prepend(fresh);
      region = fresh;
    }
    const trigger = detail.requestConfig && detail.requestConfig.triggeringEvent;
    if (trigger && trigger.isTrusted) region.scrollIntoView({ block: "nearest" });
  }

  function clear(event) {
    const detail = event.detail || {};
    if (!detail.successful) return;
    const source = detail.elt instanceof Element ? detail.elt : event.target;
    const form = source instanceof Element && source.isConnected ? source.closest("form") : null;
    const region = existingRegion(form);
    if (region) region.remove();
  }

  document.addEventListener("htmx:beforeSwap", noteSwap);
  document.addEventListener("htmx:responseError", show);
  document.addEventListener("htmx:sendError", show);
  document.addEventListener("htmx:timeout", show);
  document.addEventListener("htmx:afterRequest", clear);
})();
