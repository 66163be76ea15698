// "Copy" buttons: <button data-copy="input-id"> copies that input's value. Without script the
// readonly input still selects its whole text on focus, ready to copy by hand.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const input = document.getElementById(button.dataset.copy);
  if (!input) return;
  input.select();
  const done = () => { button.textContent = "Copied"; };
  if (navigator.clipboard) navigator.clipboard.writeText(input.value).then(done, () => {});
});
document.addEventListener("focusin", (event) => {
  if (event.target.matches("input[data-select-all]")) event.target.select();
});
