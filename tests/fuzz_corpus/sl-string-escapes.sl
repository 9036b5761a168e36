(set-logic SLIA)
(synth-fun f ((name String)) String
    ((Start String (ntString))
     (ntString String (name " " (str.++ ntString ntString) (str.substr ntString ntInt ntInt)))
     (ntInt Int (0 1 2 (str.len ntString) (str.indexof ntString ntString ntInt)))))
(declare-var name String)
(constraint (= (f "\u{D800}\u{10FFFF}") "\u{110000}"))
(constraint (= (f "xy z") "xy"))
(check-synth)
