from django.db import models


class Heartbeat(models.Model):
    """When a part of the background machinery last showed it was alive.

    ``sweep`` is stamped by every ``run_periodic`` pass; ``worker`` by the heartbeat task
    each pass enqueues, so it moves only while a worker takes tasks from the queue.
    """

    name = models.CharField(max_length=40, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.seen_at:%Y-%m-%d %H:%M:%S}"
