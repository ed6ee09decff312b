import httpx

print(httpx.get("https://example.com").status_code)
