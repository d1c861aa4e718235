import { render } from 'preact';
import { ChatApp } from './App';

render(<ChatApp />, document.getElementById('app') as HTMLElement);
