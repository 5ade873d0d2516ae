from kuaidi_cli.cli import main

main()
