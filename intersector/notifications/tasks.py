from intersector.background.tasks import background_task

from . import services


@background_task()
def fan_out(event_id: int) -> int:
    return services.event_fan_out(event_id=event_id)


def _give_up_sending(delivery_id: int) -> None:
    services.email_delivery_give_up(delivery_id=delivery_id)


@background_task(give_up=_give_up_sending)
def send_email(delivery_id: int) -> str:
    return services.email_delivery_send(delivery_id=delivery_id)
