import { render } from 'preact';
import { AgentApp } from './App';

render(<AgentApp />, document.getElementById('app') as HTMLElement);
