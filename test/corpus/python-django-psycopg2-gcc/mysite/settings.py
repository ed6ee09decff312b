SECRET_KEY = "change-me"
DEBUG = False
ALLOWED_HOSTS = ["*"]
STATIC_ROOT = "/code/static"
