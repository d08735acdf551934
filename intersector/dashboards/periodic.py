from intersector.background.periodic import register_periodic

from .digest import digests_send

register_periodic("digests", digests_send)
