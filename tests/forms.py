"""Submit a page's form as a browser would, for admin tests without a browser."""

from html.parser import HTMLParser


class FormParser(HTMLParser):
    """Collects the named fields of the form with the given id, with their current values."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self.textarea = self.select = None
        self.select_options = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append([name, attrs.get("value", "on")])
            elif kind not in ("submit", "button", "image", "file", "reset"):
                self.fields.append([name, attrs.get("value", "")])
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
            self.fields.append(self.textarea)
        elif tag == "select" and name:
            self.select, self.select_options = name, []
        elif tag == "option" and self.select:
            self.select_options.append((attrs.get("value", ""), "selected" in attrs))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            if self.textarea[1].startswith("\n"):
                self.textarea[1] = self.textarea[1][1:]
            self.textarea = None
        elif tag == "select" and self.select:
            chosen = [value for value, selected in self.select_options if selected]
            self.fields.extend([self.select, value] for value in chosen)
            self.select = None


def form_data(response, form_id):
    """The form's fields as a dict (last value wins), ready to change and POST back."""
    parser = FormParser(form_id)
    parser.feed(response.content.decode())
    assert parser.fields, f"no form #{form_id} on the page"
    return dict(parser.fields)


def press(client, url, data, action):
    """Press a button of the commentary's submit row, reading any pre-publish warnings and
    pressing again as an editor would. Returns the last answer."""
    response = client.post(url, {**data, "_action": action})
    if response.status_code == 200:
        read = form_data(response, "commentary_form").get("warnings_read")
        if read:
            response = client.post(url, {**data, "_action": action, "warnings_read": read})
    return response
