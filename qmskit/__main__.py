from qmskit.cli import main

main()
