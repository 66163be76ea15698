// Forms marked data-swap-refusals answer a refusal (409, 422) with the part of the page they
// swap anyway - a row with the refusal's words and what was typed - so that answer is swapped
// in like a success. htmx swaps no 4xx answer by itself; every other error answer (403, 503,
// a lost connection) is still said by htmx-failures.js.
(() => {
  const SWAPPED = new Set([409, 422]);

  document.addEventListener("htmx:beforeSwap", (event) => {
    const detail = event.detail || {};
    // htmx:beforeSwap fires on the target (here the row): the form is the request's element.
    const config = detail.requestConfig || {};
    const source = config.elt instanceof Element ? config.elt : event.target;
    if (!(source instanceof Element) || !source.closest("[data-swap-refusals]")) return;
    if (detail.xhr && SWAPPED.has(detail.xhr.status)) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });
})();
