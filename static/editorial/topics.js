/* Topics as chips (commentaries.editorial.topics). The text input of the field becomes the box
   one types a topic into: Enter (or picking one of the topics offered) makes it a chip, and each
   chip is sent as a hidden input of its own, with a marker telling the server so. Names may hold
   commas and quotes. Without this script the field is a plain comma-separated text input. */
"use strict";
{
    let counter = 0;

    function hidden(name, value) {
        const input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = value;
        return input;
    }

    function setup(input) {
        const fieldName = input.name;
        const url = input.dataset.suggestUrl;
        const box = document.createElement("div");
        box.className = "topic-chips";
        const chips = document.createElement("ul");
        chips.className = "topic-chips-list";
        chips.setAttribute("aria-label", "Chosen topics");
        const offered = document.createElement("ul");
        offered.className = "topic-chips-offered";
        offered.id = `${input.id || `topics${++counter}`}_offered`;
        offered.setAttribute("role", "listbox");
        offered.setAttribute("aria-label", "Existing topics");
        offered.hidden = true;
        const status = document.createElement("p");
        status.className = "topic-chips-status";
        status.setAttribute("role", "status");

        input.before(box);
        box.append(chips, input, offered, status, hidden(input.dataset.topicsMarker, "1"));
        input.removeAttribute("name");
        input.value = "";
        input.placeholder = "Add a topic";
        input.setAttribute("role", "combobox");
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-expanded", "false");
        input.setAttribute("aria-controls", offered.id);

        const chosen = () => [...chips.querySelectorAll("input")].map((each) => each.value);
        const isChosen = (name) =>
            chosen().some((each) => each.toLocaleLowerCase() === name.toLocaleLowerCase());

        function add(name) {
            name = name.trim();
            if (!name || isChosen(name)) {
                return false;
            }
            const chip = document.createElement("li");
            chip.className = "topic-chip";
            const label = document.createElement("span");
            label.textContent = name;
            const remove = document.createElement("button");
            remove.type = "button";
            remove.className = "topic-chip-remove";
            remove.setAttribute("aria-label", `Remove topic ${name}`);
            remove.title = "Remove";
            remove.textContent = "\u00d7";
            remove.addEventListener("click", () => {
                chip.remove();
                status.textContent = `Removed ${name}.`;
                input.focus();
            });
            chip.append(label, remove, hidden(fieldName, name));
            chips.append(chip);
            return true;
        }

        function close() {
            offered.hidden = true;
            offered.replaceChildren();
            input.setAttribute("aria-expanded", "false");
            input.removeAttribute("aria-activedescendant");
        }

        function take(name) {
            if (add(name)) {
                status.textContent = `Added ${name}.`;
            }
            input.value = "";
            close();
        }

        function show(names) {
            offered.replaceChildren();
            names
                .filter((name) => !isChosen(name))
                .forEach((name, index) => {
                    const option = document.createElement("li");
                    option.id = `${offered.id}_${index}`;
                    option.setAttribute("role", "option");
                    option.setAttribute("aria-selected", "false");
                    option.textContent = name;
                    // Before the input loses focus, so the click lands.
                    option.addEventListener("pointerdown", (event) => event.preventDefault());
                    option.addEventListener("click", () => {
                        take(name);
                        input.focus();
                    });
                    offered.append(option);
                });
            offered.hidden = !offered.children.length;
            input.setAttribute("aria-expanded", String(!offered.hidden));
        }

        function active() {
            return offered.querySelector('[aria-selected="true"]');
        }

        function highlight(offset) {
            const options = [...offered.children];
            if (!options.length) {
                return;
            }
            const current = options.indexOf(active());
            const next =
                current < 0
                    ? options.at(offset > 0 ? 0 : -1)
                    : options[(current + offset + options.length) % options.length];
            options.forEach((option) => option.setAttribute("aria-selected", String(option === next)));
            input.setAttribute("aria-activedescendant", next.id);
            next.scrollIntoView({block: "nearest"});
        }

        let asked = null;
        let timer = null;
        input.addEventListener("input", () => {
            clearTimeout(timer);
            const typed = input.value.trim();
            if (!typed || !url) {
                close();
                return;
            }
            timer = setTimeout(async () => {
                asked = typed;
                try {
                    const response = await fetch(`${url}?${new URLSearchParams({q: typed})}`, {
                        headers: {Accept: "application/json"},
                        credentials: "same-origin",
                    });
                    const answer = response.ok ? await response.json() : {topics: []};
                    if (asked === typed && input.value.trim() === typed) {
                        show(answer.topics || []);
                    }
                } catch {
                    close();
                }
            }, 150);
        });

        input.addEventListener("keydown", (event) => {
            if (event.key === "Enter") {
                event.preventDefault(); // Enter adds a topic; it does not send the form
                const option = active();
                take(option ? option.textContent : input.value);
            } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
                if (!offered.hidden) {
                    event.preventDefault();
                    highlight(event.key === "ArrowDown" ? 1 : -1);
                }
            } else if (event.key === "Escape" && !offered.hidden) {
                event.preventDefault();
                close();
            } else if (event.key === "Backspace" && !input.value && chips.lastElementChild) {
                const last = chips.lastElementChild;
                status.textContent = `Removed ${last.querySelector("input").value}.`;
                last.remove();
            }
        });
        input.addEventListener("blur", () => setTimeout(close, 100));
        box.addEventListener("click", (event) => {
            if (event.target === box || event.target === chips) {
                input.focus();
            }
        });
        // A topic typed but not yet added is added when the form is sent.
        input.form?.addEventListener("submit", () => add(input.value), true);

        JSON.parse(input.dataset.topics || "[]").forEach(add);
    }

    function start() {
        document.querySelectorAll("input[data-topics-marker]").forEach(setup);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
}
