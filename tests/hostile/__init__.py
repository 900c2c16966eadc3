"""Issue 15 (hostile input, hostile environment): where each reproducer of the issue is tested.

Injection
  terminal escapes (OSC title, CSI, colour, C1 CSI, bidi)   tests/report/test_injection.py::test_terminal_*;
                                                            hostile/test_hostile_strings.py (every field)
  workflow commands in terminal output (a CI log)           hostile/test_reproducers.py::test_terminal_output_*
  GitHub: newline in a file name, `##[error]` names         tests/report/test_injection.py::test_github_*;
                                                            hostile/test_hostile_strings.py
  Markdown links, images, live HTML (compare and report)    tests/report/test_injection.py::test_*_markdown_*;
                                                            hostile/test_hostile_strings.py
  CSV: a CR in a cell ended the row, the rest a formula     hostile/test_reproducers.py::test_a_carriage_return_*
Resource limits
  alias amplification (32 KB refused in < 1 s)              tests/test_loader.py::test_alias_amplification_*
  --replications 1e8 / 1e12                                 tests/stats/test_uncertainty.py::test_runs_above_*;
                                                            hostile/test_reproducers.py::test_huge_replications_*
  20,000 indicators x 6 cities                              tests/stats/test_coherence.py::test_20000_*
  data.published, pyproject.toml, .rankaudit.yaml caps      tests/stats/test_csvfile.py::test_size_is_capped,
                                                            tests/test_config.py::test_config_files_are_capped_*
A CI gate that switches itself off
  every spelling of [tool.rankaudit], dotted keys           tests/test_config.py::test_every_spelling_*,
                                                            ::test_dotted_key_gate_fails_the_audit
  huge integer, deep nesting, broken TOML                   tests/test_config.py::test_huge_numbers_*,
                                                            ::test_deeply_nested_*, ::test_broken_toml_*
Data loss and wrong blame
  a failed run keeps the previous JSON, SARIF, HTML         tests/report/test_data_loss.py::test_a_run_that_audits_*
  every spec in every machine format                        tests/report/test_data_loss.py::test_*_lists_every_spec,
                                                            ::test_sarif_has_a_located_result_*, ...
  stale temporary files after kill -9                       tests/report/test_data_loss.py::test_stale_temporaries_*
  unreadable, folder, FIFO, I/O error: an input error       hostile/test_reproducers.py (permission, swaps, EIO)
  FIFO or device swapped in after validation                tests/stats/test_csvfile.py::test_only_regular_files_*;
                                                            hostile/test_reproducers.py::test_a_data_file_swapped_*
Internal errors
  symlink loop as output                                    tests/report/test_data_loss.py::test_a_symlink_loop_*
  narrow encodings (ascii, latin-1, C locale)               tests/report/test_data_loss.py::test_narrow_encodings_*
  `upper: .inf`                                             tests/stats/test_methods.py::test_spec_parameters_*
  published ids unknown to the data / missing               tests/stats/test_csvfile.py::test_published_ids_*,
                                                            ::test_units_without_published_results_*
  number forms (4_097, other digit scripts)                 tests/stats/test_csvfile.py::test_accepted_number_forms_*
  locations: CSV row errors, config lines, RA003 real size  tests/stats/test_csvfile.py, tests/test_config.py,
                                                            tests/test_loader.py::test_oversized_file_reports_*
  determinism across BLAS kernels                           hostile/test_blas_determinism.py
Property and fuzz runs
  hostile strings in every free-text field, 8 formats       hostile/test_hostile_strings.py
  2,000 mutated specs and data files                        tests/fuzz/test_fuzz_cli.py
"""
