import requests

print(requests.get("https://example.com").ok)
