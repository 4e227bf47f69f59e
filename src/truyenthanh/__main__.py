# The CLI is imported only when run as a program: every worker process of a build imports this
# module again as its parent's main module (multiprocessing does), and importing the CLI there
# (click and the commands, ~40 ms) delayed each worker's first job.
if __name__ == "__main__":
    from truyenthanh.cli import main

    main()
