from defkg.cli.main import main

main()
