from tocsin.eval.run import main

main()
