import yaml

print(yaml.safe_dump({"ok": True}))
