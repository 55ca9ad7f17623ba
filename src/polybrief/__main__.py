from polybrief.cli import main

main()
