from kuaidi_cli.cli import main

if __name__ == "__main__":  # not when a second process of kuaidi imports this module (spawn)
    main()
