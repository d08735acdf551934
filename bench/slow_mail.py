"""An e-mail backend for bench/kill_worker_mid_render.py: writes each message to a file in
EMAIL_FILE_PATH (Django's file backend) after a pause of SLOW_EMAIL_SECONDS, so a worker
can be killed while it is "sending"."""

import os
import time

from django.core.mail.backends.filebased import EmailBackend


class SlowFileBackend(EmailBackend):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("file_path", os.environ["EMAIL_FILE_PATH"])
        super().__init__(*args, **kwargs)

    def send_messages(self, email_messages):
        time.sleep(float(os.environ.get("SLOW_EMAIL_SECONDS", "3")))
        return super().send_messages(email_messages)
