"""Custom NLU pieces: the jieba tokenizer that carries its own dictionary, and the
Rasa component that normalises citizen text before anything else reads it."""
