"""gunicorn's access log with the same masking as the app's own log (config.log_filters): the path
of a customer's survey link carries the secret that answers the survey."""

from __future__ import annotations

from gunicorn.glogging import Logger

from config.log_filters import mask_secrets


class MaskingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("U", "r", "q", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = mask_secrets(atoms[key])
        return atoms
