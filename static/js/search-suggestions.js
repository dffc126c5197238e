/*
 * Suggestions under a search box while typing: an ARIA 1.2 combobox over the JSON of
 * /recherche/suggestions/. Progressive enhancement: the box stays a plain GET form that works
 * without this script; any <input data-suggestions="URL"> is enhanced.
 */
(function () {
  "use strict";

  const MIN_LENGTH = 2;
  const DELAY_MS = 150;

  function enhance(input, index) {
    const endpoint = input.dataset.suggestions;
    const list = document.createElement("ul");
    const status = document.createElement("div");
    let items = [];
    let active = -1;
    let timer = null;
    let controller = null;

    list.id = `${input.id || "recherche"}-suggestions-${index}`;
    list.className = "search-suggestions list-unstyled";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.parentElement.classList.add("search-box");
    input.after(list);
    input.after(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(index) {
      items.forEach((item, position) => item.element.setAttribute("aria-selected", String(position === index)));
      active = index;
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
        return;
      }
      input.setAttribute("aria-activedescendant", items[index].element.id);
      items[index].element.scrollIntoView({ block: "nearest" });
    }

    function render(results) {
      items = results.map((result, position) => {
        const element = document.createElement("li");
        const kind = document.createElement("span");
        element.id = `${list.id}-${position}`;
        element.setAttribute("role", "option");
        element.setAttribute("aria-selected", "false");
        element.textContent = result.title;
        kind.className = "search-suggestions__kind";
        kind.textContent = ` · ${result.type}`;
        element.append(kind);
        // mousedown, not click: the box would lose focus (and the list close) before a click.
        element.addEventListener("mousedown", (event) => {
          event.preventDefault();
          window.location.assign(result.url);
        });
        return { element, url: result.url };
      });
      list.replaceChildren(...items.map((item) => item.element));
      active = -1;
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = `${items.length} suggestion${items.length > 1 ? "s" : ""}, flèches haut et bas pour choisir`;
      } else {
        close();
        status.textContent = "";
      }
    }

    async function load(query) {
      if (controller) controller.abort();
      controller = new AbortController();
      try {
        const response = await fetch(`${endpoint}?${new URLSearchParams({ q: query })}`, {
          headers: { Accept: "application/json" },
          signal: controller.signal,
        });
        if (!response.ok) return close();
        const data = await response.json();
        if (input.value.trim() === query) render(data.results);
      } catch (error) {
        if (error.name !== "AbortError") close();
      }
    }

    input.addEventListener("input", () => {
      window.clearTimeout(timer);
      const query = input.value.trim();
      if (query.length < MIN_LENGTH) {
        close();
        return;
      }
      timer = window.setTimeout(() => load(query), DELAY_MS);
    });

    input.addEventListener("keydown", (event) => {
      if (list.hidden) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        choose(Math.min(active + 1, items.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        choose(active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.assign(items[active].url);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });

    input.addEventListener("blur", close);
  }

  document.querySelectorAll("input[data-suggestions]").forEach(enhance);
})();
