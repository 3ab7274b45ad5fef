"""An SMS gateway that is down, for SMS_SENDER in the tests."""


class DownSmsSender:
    def send(self, *, to: str, text: str) -> None:
        raise ConnectionError("gateway unreachable")
