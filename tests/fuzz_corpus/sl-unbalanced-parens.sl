(set-logic SLIA)
(synth-fun f ((name String)) String
    ((Start String (ntString))
     (ntString String (name " " (str.++ ntString ntString) (str.substr ntString ntInt ntInt)))
     (ntInt Int (0 1 2 (str.len ntString) (str.indexof ntString ntString ntInt)))))
((declare-var name String)
(constraint (= (f "ab cd") "ab"))
(constraint (= (f "xy z") "xy"))
(check-synth))))
