from policycmp.cli import main

main()
