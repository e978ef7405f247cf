/* Tell require.js where the widget manager lives, before embed-amd.js runs.
   The manager finds its font files next to the address require.js gives its
   modules ("@jupyter-widgets/..."); without this the page asks for them
   beside the page itself and gets 404s. Loaded only on pages with widgets. */
(function () {
  "use strict";
  var here = document.currentScript.src.split(/[?#]/)[0];
  var manager = here.slice(0, here.lastIndexOf("/") + 1) + "html-manager";
  require.config({
    paths: {
      "@jupyter-widgets/html-manager/dist": manager,
      "@jupyter-widgets": manager
    }
  });
})();
