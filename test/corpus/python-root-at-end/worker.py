import psutil

print(psutil.cpu_count())
