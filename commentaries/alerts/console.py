"""`make run`'s e-mail backend (EMAIL_URL=console://): each message printed as a reader sees it.

Django's console backend prints the message as it would go on the wire, its text
quoted-printable and wrapped at 76 characters, so a confirmation link comes out broken across
lines with `=` and `=3D` in it. This prints the headers decoded and each text part as text."""

from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend


class EmailBackend(DjangoConsoleBackend):
    def write_message(self, message):
        msg = message.message()
        lines = [f"{name}: {value}" for name, value in msg.items() if name != "Content-Type"]
        for part in msg.walk():
            if part.is_multipart():
                continue
            kind = part.get_content_type()
            name = part.get_filename()
            if name or part.get_content_maintype() != "text":
                lines += ["", f"[{kind} attachment: {name or 'unnamed'}]"]
            else:
                lines += ["", f"--- {kind}", part.get_content().rstrip("\n")]
        self.stream.write("\n".join(lines) + "\n")
        self.stream.write("-" * 79 + "\n")
