// Applies the stored colour theme before first paint (a classic script, so it runs early).
(function () {
  try {
    var theme = localStorage.getItem("tradewind.theme");
    if (theme === "dark" || theme === "light") document.documentElement.dataset.theme = theme;
  } catch (e) { /* storage unavailable: follow the system preference */ }
})();
