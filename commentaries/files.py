"""Stored files (PDF editions, pictures and their renditions, share cards, deposit files) live in
Django's default storage and nowhere else: the file system under MEDIA_ROOT on one machine, an
S3-compatible bucket (MEDIA_STORAGE_URL) that every host shares in production.

A view serving one opens it here, so that a file that is gone and a storage that does not
answer are told apart from a bug: the first is made again, the second answers 503."""

import logging

from django.core.files.storage import FileSystemStorage, default_storage
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

# What a 503 for a storage that does not answer asks clients to wait, in seconds.
UNAVAILABLE_RETRY_AFTER = 30

try:  # django-storages' S3 backend (the s3 extra) speaks through botocore
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:  # pragma: no cover (the dev extra installs it)

    class BotoCoreError(Exception):
        pass

    class ClientError(Exception):
        pass


class Missing(Exception):
    """The storage answered: no such file."""


class Unavailable(Exception):
    """The storage did not answer (a bucket down, a network, a disk): try again later."""


def open_stored(name):
    """The stored file, opened and its content fetched, so that a failure happens here rather
    than half way through a response. Raises Missing or Unavailable."""
    try:
        file = default_storage.open(name)
        file.read(0)  # S3: the object is downloaded now, not while the response streams
        return file
    except FileNotFoundError:
        raise Missing(name) from None
    except ClientError as error:
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if status == 404 or error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey"):
            raise Missing(name) from None
        logger.warning("The storage refused %s: %s", name, error)
        raise Unavailable(name) from error
    except (OSError, BotoCoreError) as error:
        logger.warning("The storage did not answer for %s: %s", name, error)
        raise Unavailable(name) from error


def shared_between_hosts(storage=None):
    """Whether every host sees the same files: not so with the local file system."""
    return not isinstance(storage or default_storage, FileSystemStorage)


def try_again(text, seconds=UNAVAILABLE_RETRY_AFTER):
    """503 in plain text with Retry-After, kept by no cache: for a file being made or a storage
    that does not answer."""
    response = HttpResponse(text, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(seconds)
    patch_cache_control(response, no_store=True)
    return response
