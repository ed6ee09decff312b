import magic

print(magic.from_buffer(b"hello"))
