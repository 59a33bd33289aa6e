/** A child that says its first argument and exits: tests/child-script.test.ts's entry, built by no other test. */
process.stdout.write(`echo ${process.argv[2] ?? ''}\n`);
