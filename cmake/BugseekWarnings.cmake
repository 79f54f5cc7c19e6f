# Warnings for our own targets only; third-party code (grammars, SentencePiece, torch) stays quiet.
function(bugseek_target_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
endfunction()
