from rich import print

print("[bold]hello[/bold]")
