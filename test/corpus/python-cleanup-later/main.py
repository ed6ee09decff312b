import click


@click.command()
def main():
    click.echo("hello")


if __name__ == "__main__":
    main()
