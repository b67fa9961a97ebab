import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import media_storage


def test_files_stay_on_the_file_system_by_default():
    assert media_storage("") == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_media_storage_url_names_an_s3_compatible_bucket():
    url = "s3://ajiss-archive/pdf-editions?endpoint_url=https://s3.example.org&region_name=eu-1"
    storage = media_storage(url)
    config = storage["OPTIONS"].pop("client_config")
    assert (config.connect_timeout, config.read_timeout) == (5, 20)  # not a minute's wait
    assert storage == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "ajiss-archive",
            "location": "pdf-editions",
            "file_overwrite": False,
            "endpoint_url": "https://s3.example.org",
            "region_name": "eu-1",
        },
    }


@pytest.mark.parametrize("url", ["https://s3.example.org/bucket", "s3:///no-bucket"])
def test_a_storage_url_that_is_not_s3_says_so(url):
    with pytest.raises(ImproperlyConfigured, match="s3://bucket"):
        media_storage(url)
