from intersector.background.tasks import background_task

from . import services


@background_task()
def fan_out(event_id: int) -> int:
    return services.event_fan_out(event_id=event_id)


def _give_up_sending(delivery_ids: list[int]) -> None:
    services.email_deliveries_give_up(delivery_ids=delivery_ids)


@background_task(give_up=_give_up_sending)
def send_emails(delivery_ids: list[int]) -> int:
    return services.email_deliveries_send(delivery_ids=delivery_ids)
