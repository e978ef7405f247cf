/* The course's widget runtime for the static site (a few KB instead of the 3.6 MB widget manager).

   myst-nb writes each page's saved widget state (application/vnd.jupyter.widget-state+json) and one
   application/vnd.jupyter.widget-view+json script where each tool was shown. Every tool is an
   anywidget whose front end is its ES module (_esm): this runtime imports that module and calls its
   render() with a small model over the saved state (get/set/on/off; save_changes and send do nothing,
   there is no kernel). The same module runs in JupyterLab and Voilà with anywidget's own front end.

   On the built site the saved state holds each module's and style sheet's address instead of its
   source (the build step regionkurs.sphinx_ext.widgetmodules writes each one once, to _static/widgets/):
   each module is imported once and each style sheet linked once per page, whatever the number of tools.

   render() also gets site.store: the learner's journal, self-assessment and answers, kept in memory
   and, only after the learner turns saving on in the journal, in localStorage under one key. */
(function () {
  "use strict";
  var STATE = 'script[type="application/vnd.jupyter.widget-state+json"]';
  var VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]';
  var KEY = "regionkurs-journal";
  var SECTIONS = ["entries", "ratings", "assessments", "answers", "reflections"];

  function empty() {
    var data = { version: 1 };
    SECTIONS.forEach(function (s) { data[s] = {}; });
    return data;
  }

  function readStored() {
    try {
      var raw = window.localStorage.getItem(KEY);
      if (raw === null) return null;
      var parsed = JSON.parse(raw);
      var data = empty();
      SECTIONS.forEach(function (s) { if (parsed && typeof parsed[s] === "object" && parsed[s]) data[s] = parsed[s]; });
      return data;
    } catch (error) {
      return null;
    }
  }

  var store = (function () {
    var data = readStored() || empty();
    var listeners = [];
    function enabled() {
      try { return window.localStorage.getItem(KEY) !== null; } catch (error) { return false; }
    }
    function write() {
      try { window.localStorage.setItem(KEY, JSON.stringify(data)); return true; } catch (error) { return false; }
    }
    function notify() { listeners.slice().forEach(function (fn) { try { fn(); } catch (error) { console.error(error); } }); }
    window.addEventListener("storage", function (event) {
      if (event.key === KEY) { data = readStored() || empty(); notify(); }
    });
    return {
      enabled: enabled,
      enable: function () { var ok = write(); notify(); return ok; },
      clear: function () {
        try { window.localStorage.removeItem(KEY); } catch (error) { /* nothing stored */ }
        data = empty();
        notify();
      },
      get: function (section, key) {
        var value = (data[section] || {})[key];
        return value === undefined ? null : value;
      },
      set: function (section, key, value) {
        data[section][key] = value;
        if (enabled()) write();
      },
      section: function (section) { return JSON.parse(JSON.stringify(data[section] || {})); },
      subscribe: function (fn) {
        listeners.push(fn);
        return function () { listeners = listeners.filter(function (f) { return f !== fn; }); };
      }
    };
  })();

  function makeModel(state) {
    var values = Object.assign({}, state);
    var handlers = {};
    return {
      get: function (name) { return values[name]; },
      set: function (name, value) {
        var old = values[name];
        values[name] = value;
        if (old !== value) (handlers["change:" + name] || []).slice().forEach(function (fn) { fn(value); });
      },
      on: function (name, fn) { (handlers[name] = handlers[name] || []).push(fn); },
      off: function (name, fn) {
        if (!name) { handlers = {}; return; }
        handlers[name] = fn ? (handlers[name] || []).filter(function (f) { return f !== fn; }) : [];
      },
      save_changes: function () {},
      send: function () {},
      widget_manager: {}
    };
  }

  // An address (relative to the page) instead of a source; the build step uses the same rule.
  var ADDRESS = /^(?:\.{1,2}\/|https?:\/\/)\S+$/;
  function resolve(value) { return new URL(value, document.baseURI).href; }

  var modules = {};
  function load(esm) {
    if (!modules[esm]) {
      var url = ADDRESS.test(esm) ? resolve(esm) : URL.createObjectURL(new Blob([esm], { type: "text/javascript" }));
      modules[esm] = import(url);
    }
    return modules[esm];
  }

  var styles = {};
  function style(css) {
    if (!css) return Promise.resolve();
    if (!styles[css]) {
      styles[css] = new Promise(function (done) {
        var tag;
        if (ADDRESS.test(css)) {
          // The tool is drawn once its style sheet is in (or failed to come): no unstyled flash.
          tag = document.createElement("link");
          tag.rel = "stylesheet";
          tag.href = resolve(css);
          tag.onload = tag.onerror = function () { done(); };
        } else {
          tag = document.createElement("style");
          tag.textContent = css;
          done();
        }
        document.head.appendChild(tag);
      });
    }
    return styles[css];
  }

  function mountOne(view, entry) {
    var el = document.createElement("div");
    el.className = "rk-widget";
    view.parentNode.insertBefore(el, view.nextSibling);
    return Promise.all([load(entry.state._esm), style(entry.state._css)]).then(function (loaded) {
      var module = loaded[0];
      var widget = module.default || module;
      return Promise.resolve(typeof widget === "function" ? widget() : widget).then(function (tool) {
        var model = makeModel(entry.state);
        return Promise.resolve(tool.initialize ? tool.initialize({ model: model }) : null).then(function () {
          return tool.render({ model: model, el: el, site: { store: store } });
        });
      });
    }).catch(function (error) {
      console.error(error);
      el.textContent = "Verktyget kunde inte visas i din webbläsare. Ladda om sidan eller pröva en annan webbläsare.";
    });
  }

  function mount() {
    var tag = document.querySelector(STATE);
    if (!tag) return;
    var state;
    try { state = JSON.parse(tag.textContent).state || {}; } catch (error) { console.error(error); return; }
    var pending = [];
    Array.prototype.forEach.call(document.querySelectorAll(VIEW), function (view) {
      var id;
      try { id = JSON.parse(view.textContent).model_id; } catch (error) { return; }
      var entry = state[id];
      if (entry && entry.model_module === "anywidget" && entry.state && entry.state._esm) pending.push(mountOne(view, entry));
    });
    Promise.all(pending).then(function () { document.documentElement.setAttribute("data-regionkurs-widgets", "ready"); });
  }

  window.regionkursStore = store;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();
