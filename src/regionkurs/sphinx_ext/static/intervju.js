/* Click-to-load interview player. Nothing is loaded from YouTube until the
   visitor presses the button (a native <button>: mouse, Enter and Space). */
(function () {
  "use strict";
  function play(block) {
    var frame = document.createElement("iframe");
    frame.src = block.getAttribute("data-embed-url");
    frame.title = block.getAttribute("data-player-title");
    frame.setAttribute("allow", "autoplay; encrypted-media; picture-in-picture; fullscreen");
    frame.setAttribute("allowfullscreen", "");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    frame.className = "intervju-iframe";
    var player = block.querySelector(".intervju-spelare");
    player.replaceChildren(frame);
    frame.focus();
  }
  function init() {
    document.querySelectorAll(".intervju").forEach(function (block) {
      var button = block.querySelector(".intervju-knapp");
      if (button) {
        button.addEventListener("click", function () { play(block); });
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
