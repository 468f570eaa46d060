// The search-as-you-type choice (liaison/widgets.py): a result the user picks moves up to the
// chosen list, so searching again keeps it. A single choice keeps one chosen row (and "All").
(function () {
  function keep(input) {
    var box = input.closest("[data-search-choice]");
    var results = input.closest("[data-search-results]");
    if (!box || !results || !input.checked) return;
    var chosen = box.querySelector("[data-search-chosen]");
    if (input.type === "radio") {
      chosen.querySelectorAll("label:not([data-search-empty])").forEach(function (label) { label.remove(); });
    } else {
      chosen.querySelectorAll("input[value='" + input.value + "']").forEach(function (other) {
        other.closest("label").remove();
      });
    }
    var label = input.closest("label");
    label.setAttribute("data-testid", "search-chosen");
    chosen.appendChild(label);
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-search-results] input")) keep(event.target);
  });
  // A result that is checked (picked, or the only match, checked by the server) is kept when new
  // results replace the old ones.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var checked = event.target.matches("[data-search-results]") && event.target.querySelector("input:checked");
    if (checked) keep(checked);
  });
  // Enter in the search box searches at once instead of sending the form.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches("[data-search-choice] input[type=search]")) {
      event.preventDefault();
      window.htmx && window.htmx.trigger(event.target, "search");
    }
  });
})();
